/**
 * What a local cluster may leave on the host, read fresh from the kernel and the tools: its network
 * namespaces, host links and routes, mounts and processes naming its dirs, libcni result files of
 * its node networks, Docker containers of its node scopes, and the host's TK iptables chains.
 * Compare a snapshot taken before `cluster up` with one after `cluster down`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** A cluster's name, data dir, run dir (/run/tinykube/clusters/<name>: containerd sockets and state) and node count. */
export interface ClusterTrace { name: string; dataDir: string; runDir: string; nodes: number }

const lines = (cmd: string, args: string[]): string[] => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').map((l) => l.trim()).filter(Boolean);
  } catch {
    return []; // the tool failed: nothing to report from it (a missing tool shows as a difference elsewhere)
  }
};

function cmdlines(): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try { out.push(readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ')); } catch { /* exited meanwhile */ }
  }
  return out;
}

export interface ClusterTraces {
  netns: string[]; links: string[]; mounts: string[]; processes: string[]; cniResults: string[]; dirs: string[]; containers: string[];
}

/** Everything of the cluster `t` found on the host now (empty lists when nothing is left). */
export function clusterTraces(t: ClusterTrace): ClusterTraces {
  const mine = (s: string) => s.includes(t.dataDir) || s.includes(t.runDir);
  const scopes = Array.from({ length: t.nodes }, (_, i) => `label=io.tinykube.runtime-scope=${t.name}-n${i + 1}`);
  return {
    netns: lines('ip', ['netns', 'list']).map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`tk-${t.name}-`)),
    links: lines('ip', ['-o', 'link', 'show']).map((l) => l.split(':')[1]!.trim().split('@')[0]!).filter((l) => l === `tk${t.name}h`),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m !== '' && (mine(m) || m.includes(`tk-${t.name}-`))),
    processes: cmdlines().filter((c) => mine(c) && !c.includes('vitest')),
    cniResults: existsSync('/var/lib/cni/results') ? readdirSync('/var/lib/cni/results').filter((f) => f.startsWith(`tk-${t.name}-`)) : [],
    dirs: [t.dataDir, t.runDir].filter((d) => existsSync(d)),
    containers: scopes.flatMap((s) => lines('docker', ['ps', '-a', '--filter', s, '--format', '{{.Names}}'])),
  };
}

/** The host's TK* iptables chains (nat and filter, nft backend), to compare before and after. */
export function hostChains(): string[] {
  return ['nat', 'filter'].flatMap((table) => lines('iptables-nft-save', ['-t', table]).filter((l) => /^:(TK|tk)/.test(l)).map((l) => `${table} ${l.split(' ')[0]!}`));
}
