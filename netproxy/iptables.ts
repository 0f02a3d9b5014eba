/**
 * ExecIptables: the Iptables interface over the iptables tools of one network namespace (the
 * current one, or `netns` via `ip netns exec`). The backend (nft or legacy) is detected once, from
 * what `iptables --version` says and from which backend already holds rules, and then only that
 * backend's binaries are used, so rules are never mixed. Every call waits for the xtables lock (-w 5).
 */
import type { Logger } from 'pino';
import {
  EXTERNAL_SERVICES_CHAIN, FILTER_CHAINS, FIREWALL_CHAIN, FORWARD_CHAIN, NAT_CHAINS,
  POSTROUTING_CHAIN, SERVICES_CHAIN, CHAIN_PREFIX,
} from './chains.js';
import { ExecRunner, NetproxyError, restoreErrorLine } from './exec.js';
import type { CommandRunner } from './exec.js';
import { declaredChains } from './rule-check.js';
import type { Iptables, Table } from './types.js';

export type Backend = 'nft' | 'legacy';

export interface JumpRule { table: Table; chain: string; args: readonly string[] }

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
const comment = (c: string) => ['-m', 'comment', '--comment', c];

/** Jumps from the built-in chains, in kube-proxy's order; each is prepended (-I … 1). */
export const JUMPS: readonly JumpRule[] = [
  { table: 'filter', chain: 'INPUT', args: [...NEW, ...comment('tinykube externally-visible service portals'), '-j', EXTERNAL_SERVICES_CHAIN] },
  { table: 'filter', chain: 'FORWARD', args: [...NEW, ...comment('tinykube externally-visible service portals'), '-j', EXTERNAL_SERVICES_CHAIN] },
  { table: 'filter', chain: 'FORWARD', args: [...NEW, ...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'filter', chain: 'OUTPUT', args: [...NEW, ...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'filter', chain: 'FORWARD', args: [...comment('tinykube forwarding rules'), '-j', FORWARD_CHAIN] },
  { table: 'filter', chain: 'INPUT', args: ['-j', FIREWALL_CHAIN] },
  { table: 'filter', chain: 'OUTPUT', args: ['-j', FIREWALL_CHAIN] },
  { table: 'nat', chain: 'OUTPUT', args: [...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'nat', chain: 'PREROUTING', args: [...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'nat', chain: 'POSTROUTING', args: [...comment('tinykube postrouting rules'), '-j', POSTROUTING_CHAIN] },
];

const TOP_CHAINS: Record<Table, readonly string[]> = { filter: FILTER_CHAINS, nat: NAT_CHAINS };
const countRules = (save: string) => save.split('\n').filter((l) => l.startsWith('-A ')).length;

export interface ExecIptablesOptions {
  /** Run inside this named network namespace (`ip netns exec`); default: the current one. */
  netns?: string;
  /** Skip detection. */
  backend?: Backend;
  log?: Logger;
  /** Tests inject a fake runner. */
  runner?: CommandRunner;
}

export class ExecIptables implements Iptables {
  private readonly runner: CommandRunner;
  private backendP?: Promise<Backend>;

  constructor(private readonly o: ExecIptablesOptions = {}) {
    this.runner = o.runner ?? new ExecRunner({ netns: o.netns });
    if (o.backend) this.backendP = Promise.resolve(o.backend);
  }

  /** The backend in use in this netns (detected on first call). */
  backend(): Promise<Backend> {
    this.backendP ??= this.detect();
    return this.backendP;
  }

  private async detect(): Promise<Backend> {
    const v = await this.runner.run('iptables', ['--version']);
    if (v.code !== 0) throw new NetproxyError('ExecFailed', `iptables --version: ${v.stderr.trim()}`);
    const preferred: Backend = /legacy/.test(v.stdout) ? 'legacy' : 'nft';
    const other: Backend = preferred === 'nft' ? 'legacy' : 'nft';
    // listing legacy tables by name creates them, so ask the kernel which exist first
    if (other === 'legacy') {
      const names = await this.runner.run('cat', ['/proc/net/ip_tables_names']);
      if (names.code !== 0 || names.stdout.trim() === '') return this.chose(preferred, 0, 0);
    }
    const [mine, theirs] = await Promise.all([this.rulesOf(preferred), this.rulesOf(other)]);
    return this.chose(theirs > mine ? other : preferred, mine, theirs);
  }

  private chose(b: Backend, preferredRules: number, otherRules: number): Backend {
    this.o.log?.info({ backend: b, netns: this.o.netns, preferredRules, otherRules }, 'Detected iptables backend');
    return b;
  }

  private async rulesOf(b: Backend): Promise<number> {
    const r = await this.runner.run(`iptables-${b}-save`, []);
    return r.code === 0 ? countRules(r.stdout) : 0;
  }

  private async ipt(args: readonly string[]): Promise<{ code: number; stderr: string }> {
    const b = await this.backend();
    return this.runner.run(`iptables-${b}`, ['-w', '5', ...args]);
  }

  async save(table: Table): Promise<string> {
    const b = await this.backend();
    const r = await this.runner.run(`iptables-${b}-save`, ['-t', table]);
    if (r.code !== 0) throw new NetproxyError('ExecFailed', `iptables-save -t ${table}: ${r.stderr.trim()}`, { stderr: r.stderr });
    return r.stdout;
  }

  async restore(payload: string): Promise<void> {
    const b = await this.backend();
    const r = await this.runner.run(`iptables-${b}-restore`, ['-w', '5', '--noflush', '--counters'], { input: payload });
    if (r.code === 0) return;
    const line = restoreErrorLine(r.stderr);
    throw new NetproxyError('RestoreFailed', `iptables-restore: ${r.stderr.trim().split('\n')[0] ?? 'failed'}${line ? ` (line ${line})` : ''}`, { line, stderr: r.stderr });
  }

  async ensureJumps(): Promise<void> {
    for (const table of ['filter', 'nat'] as const) {
      const have = declaredChains(await this.save(table)).get(table) ?? new Set<string>();
      for (const c of TOP_CHAINS[table]) {
        if (have.has(c)) continue;
        const r = await this.ipt(['-t', table, '-N', c]);
        if (r.code !== 0) throw new NetproxyError('ExecFailed', `create chain ${table}/${c}: ${r.stderr.trim()}`, { stderr: r.stderr });
      }
    }
    // the checks run at once; the inserts in order (each goes to the top)
    const present = await Promise.all(JUMPS.map(async (j) => (await this.ipt(['-t', j.table, '-C', j.chain, ...j.args])).code === 0));
    for (const [i, j] of JUMPS.entries()) {
      if (present[i]) continue;
      const r = await this.ipt(['-t', j.table, '-I', j.chain, '1', ...j.args]);
      if (r.code !== 0) throw new NetproxyError('ExecFailed', `insert jump ${j.table}/${j.chain} -> ${j.args.at(-1) ?? ''}: ${r.stderr.trim()}`, { stderr: r.stderr });
    }
  }

  async cleanup(): Promise<void> {
    const parts: string[] = [];
    for (const table of ['filter', 'nat'] as const) {
      const saved = await this.save(table);
      // jumps into our chains from chains that are not ours (built-ins), by their saved spec
      for (const line of saved.split('\n')) {
        const m = /^-A (\S+) (.*)$/.exec(line);
        if (!m || m[1]?.startsWith(CHAIN_PREFIX) || !/ -j TK-|^-j TK-/.test(m[2] ?? '')) continue;
        const r = await this.ipt(['-t', table, '-D', m[1] ?? '', ...splitArgs(m[2] ?? '')]);
        if (r.code !== 0) throw new NetproxyError('ExecFailed', `delete jump ${table}/${m[1] ?? ''}: ${r.stderr.trim()}`, { stderr: r.stderr });
      }
      const mine = [...(declaredChains(saved).get(table) ?? [])].filter((c) => c.startsWith(CHAIN_PREFIX));
      if (mine.length === 0) continue;
      parts.push(`*${table}`, ...mine.map((c) => `:${c} - [0:0]`), ...mine.map((c) => `-X ${c}`), 'COMMIT');
    }
    if (parts.length > 0) await this.restore(`${parts.join('\n')}\n`);
  }
}

/** Splits an iptables-save rule into arguments (double-quoted strings stay one argument). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return out;
}
