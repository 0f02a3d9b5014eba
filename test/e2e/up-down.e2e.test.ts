/**
 * Issue 13, item 1: `up`, `down`, `init` and `join` with the compiled CLI against any mix of live
 * and dead parts, each node on its own data dir, ports, node name and pod bridge (network mode
 * none: the host's routes and iptables stay untouched). Afterwards there is one control plane and
 * one agent per data dir, pid files name them, `down` stops what really runs (never a process a
 * stale pid file names), a port held by anything else is one line naming its holder, and
 * `down --purge` unmounts the pods' network-namespace pins the runtime forgot. The figure for
 * `down` of an idle node is printed, never asserted. Skips itself without root, Docker, the built
 * CLI or the tinykube/busybox:1 image.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, freePort } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const skipReason =
  process.getuid?.() !== 0 ? 'needs root' :
    !existsSync(CLI) ? `needs the compiled CLI ${CLI} (npx tsc -p tsconfig.json)` :
      !ok('docker', ['image', 'inspect', 'tinykube/busybox:1']) ? 'needs Docker and the tinykube/busybox:1 image (tinykube image build-test)' : '';
if (skipReason) console.warn(`up-down e2e skipped: ${skipReason}`);

function run(cmd: string, args: readonly string[], timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
const tinykube = (...args: string[]) => run(process.execPath, [CLI, ...args]);

/** The daemons serving `dir`, read from /proc here (not with the CLI's own code): the tinykube server/agent verbs with --data-dir dir. */
function daemonsOf(dir: string): { server: number[]; agent: number[] } {
  const out = { server: [] as number[], agent: [] as number[] };
  for (const name of readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n))) {
    let argv: string[];
    try { argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0'); } catch { continue; } // gone meanwhile
    const at = argv.findIndex((a) => a.endsWith('/cli/main.js'));
    const verb = at < 0 ? undefined : argv[at + 1];
    const d = argv.indexOf('--data-dir');
    if ((verb === 'server' || verb === 'agent' || (verb === 'join' && argv.includes('--foreground'))) && d > 0 && argv[d + 1] === dir) {
      out[verb === 'server' ? 'server' : 'agent'].push(Number(name));
    }
  }
  return out;
}
const pidFile = (dir: string, f: string) => Number(readFileSync(join(dir, f), 'utf8').trim());
const mountsUnder = (dir: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(`${dir}/`));
const alive = (p: ChildProcess) => p.exitCode === null && p.signalCode === null;

interface TestNode { dir: string; name: string; bridge: string; cpPort: number; apiPort: number }

describe.skipIf(skipReason !== '')('up, down, init and join against live and dead parts', () => {
  const id = randomBytes(3).toString('hex');
  const root = mkdtempSync(join(tmpdir(), 'tk-updown-'));
  const cacheDir = join(root, 'kube-cache');
  const nodes: TestNode[] = [];
  const listeners: Server[] = [];
  const decoys: ChildProcess[] = [];
  const newNode = async (tag: string): Promise<TestNode> => {
    const n = { dir: join(root, tag), name: `tk-ud-${id}-${tag}`, bridge: `tkud${id}${tag}`, cpPort: await freePort(), apiPort: await freePort() };
    nodes.push(n);
    return n;
  };
  const nodeFlags = (n: TestNode) => ['--data-dir', n.dir, '--node-name', n.name, '--node-ip', '127.0.0.1', '--node-api-port', String(n.apiPort), '--bridge', n.bridge, '--network-mode', 'none'];
  const upFlags = (n: TestNode) => [...nodeFlags(n), '--listen', `127.0.0.1:${n.cpPort}`, '--advertise-address', '127.0.0.1'];
  const kubectl = (n: TestNode, ...args: string[]) => run('kubectl', ['--kubeconfig', join(n.dir, 'admin.kubeconfig'), '--cache-dir', cacheDir, ...args], 60_000);
  const nodeReady = async (cp: TestNode, name: string) => {
    const r = await kubectl(cp, 'get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}');
    expect(r.stdout, r.stderr).toBe('True');
  };
  const listen = async (): Promise<number> => {
    const s = createServer();
    listeners.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return (s.address() as { port: number }).port;
  };

  afterAll(async () => {
    for (const n of nodes) {
      const d = daemonsOf(n.dir);
      for (const pid of [...d.agent, ...d.server]) try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
      const ids = (await run('docker', ['ps', '-aq', '--filter', `label=io.tinykube.runtime-scope=${n.name}`])).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await run('docker', ['rm', '-f', ...ids]);
      for (const m of mountsUnder(n.dir).reverse()) await run('umount', ['--lazy', m]);
      await run('ip', ['link', 'del', n.bridge]);
    }
    for (const s of listeners) s.close();
    for (const p of decoys) p.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  let a: TestNode;

  it('up twice: one control plane and one agent, both kept by the second up', async () => {
    a = await newNode('a');
    const r = await tinykube('up', ...upFlags(a));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`export KUBECONFIG=${join(a.dir, 'admin.kubeconfig')}\n`);
    const first = daemonsOf(a.dir);
    expect(first.server).toHaveLength(1);
    expect(first.agent).toHaveLength(1);
    expect([pidFile(a.dir, 'control.pid'), pidFile(a.dir, 'agent.pid')]).toEqual([first.server[0], first.agent[0]]);
    const again = await tinykube('up', ...upFlags(a));
    expect(again.code, again.stderr).toBe(0);
    expect(daemonsOf(a.dir)).toEqual(first);
    await nodeReady(a, a.name);
  });

  it('up after the control plane died while the agent lived: one agent, named by its pid file', async () => {
    const before = daemonsOf(a.dir);
    process.kill(before.server[0]!, 'SIGKILL');
    await eventually(() => expect(daemonsOf(a.dir).server).toEqual([]), { timeoutMs: 10_000, intervalMs: 50 });
    const r = await tinykube('up', ...upFlags(a));
    expect(r.code, r.stderr).toBe(0);
    const after = daemonsOf(a.dir);
    expect(after.server).toHaveLength(1);
    expect(after.agent).toHaveLength(1);
    expect([pidFile(a.dir, 'control.pid'), pidFile(a.dir, 'agent.pid')]).toEqual([after.server[0], after.agent[0]]);
    await nodeReady(a, a.name);
  });

  it('pid files that name an unrelated process and a stale socket: up starts one of each, leaving that process alone', async () => {
    const decoy = spawn('sleep', ['600'], { stdio: 'ignore' });
    decoys.push(decoy);
    const d = daemonsOf(a.dir);
    for (const pid of [...d.agent, ...d.server]) process.kill(pid, 'SIGKILL');
    await eventually(() => expect(daemonsOf(a.dir)).toEqual({ server: [], agent: [] }), { timeoutMs: 10_000, intervalMs: 50 });
    expect(existsSync(join(a.dir, 'cri.sock'))).toBe(true); // the killed agent's
    for (const f of ['control.pid', 'agent.pid']) writeFileSync(join(a.dir, f), `${decoy.pid}\n`);
    const r = await tinykube('up', ...upFlags(a));
    expect(r.code, r.stderr).toBe(0);
    const now = daemonsOf(a.dir);
    expect(now.server).toHaveLength(1);
    expect(now.agent).toHaveLength(1);
    expect([pidFile(a.dir, 'control.pid'), pidFile(a.dir, 'agent.pid')]).toEqual([now.server[0], now.agent[0]]);
    expect(alive(decoy)).toBe(true);
  });

  it('a port held by another process is one line naming it, and nothing changes', async () => {
    const b = await newNode('b');
    const server = daemonsOf(a.dir).server[0]!;
    const command = readFileSync(`/proc/${server}/cmdline`, 'utf8').replace(/\0$/, '').split('\0').join(' ');
    const taken = await tinykube('up', ...upFlags(b), '--listen', `127.0.0.1:${a.cpPort}`);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(`tinykube: port ${a.cpPort} is in use by pid ${server} (${command}): stop it, or give this control plane another --listen\n`);
    expect(existsSync(b.dir)).toBe(false);
    const other = await listen();
    const byTest = await tinykube('up', ...upFlags(b), '--listen', `0.0.0.0:${other}`);
    expect(byTest.code).toBe(1);
    expect(byTest.stderr).toMatch(new RegExp(`^tinykube: port ${other} is in use by pid ${process.pid} \\(.*\\): stop it, or give this control plane another --listen\\n$`));
    const nodeApi = await tinykube('up', ...upFlags(b), '--node-api-port', String(other));
    expect(nodeApi.code).toBe(1);
    expect(nodeApi.stderr).toMatch(new RegExp(`^tinykube: port ${other} is in use by pid ${process.pid} \\(.*\\): stop it, or give the node another --node-api-port\\n$`));
    expect(existsSync(b.dir)).toBe(false);
  });

  it('down goes by what runs: stops the daemons, never the process stale pid files name; again it finds nothing', async () => {
    const decoy = decoys[0]!;
    for (const f of ['control.pid', 'agent.pid']) writeFileSync(join(a.dir, f), `${decoy.pid}\n`);
    const t0 = performance.now();
    const r = await tinykube('down', '--data-dir', a.dir);
    const ms = performance.now() - t0;
    console.log(`[up-down e2e] down of an idle single node (network mode none): ${(ms / 1000).toFixed(2)} s`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Stopped the node agent \(pid \d+\)\nStopped the control plane \(pid \d+\)\n$/);
    expect(daemonsOf(a.dir)).toEqual({ server: [], agent: [] });
    expect(alive(decoy)).toBe(true);
    expect(existsSync(join(a.dir, 'agent.pid'))).toBe(false);
    const again = await tinykube('down', '--data-dir', a.dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('Nothing was running\n');
  });

  it('down --purge after the agent died and the runtime lost its pods: the netns pins are unmounted, the state removed', async () => {
    const r = await tinykube('up', ...upFlags(a));
    expect(r.code, r.stderr).toBe(0);
    expect((await kubectl(a, 'run', 'pinned', '--image', 'tinykube/busybox:1', '--restart', 'Never', '--', 'sleep', '3600')).code).toBe(0);
    await eventually(async () => expect((await kubectl(a, 'get', 'pod', 'pinned', '-o', 'jsonpath={.status.phase}')).stdout).toBe('Running'), { timeoutMs: 90_000, intervalMs: 250 });
    expect(mountsUnder(a.dir).some((m) => m.startsWith(join(a.dir, 'runtime', 'netns')))).toBe(true);
    process.kill(daemonsOf(a.dir).agent[0]!, 'SIGKILL');
    const ids = (await run('docker', ['ps', '-aq', '--filter', `label=io.tinykube.runtime-scope=${a.name}`])).stdout.split('\n').filter(Boolean);
    expect(ids.length).toBeGreaterThan(0);
    expect((await run('docker', ['rm', '-f', ...ids])).code).toBe(0);
    const down = await tinykube('down', '--data-dir', a.dir, '--purge');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`Deleted ${a.dir}\n`);
    expect(existsSync(a.dir)).toBe(false);
    expect(mountsUnder(a.dir)).toEqual([]);
    expect(daemonsOf(a.dir)).toEqual({ server: [], agent: [] });
    expect((await run('ip', ['link', 'show', a.bridge])).code).not.toBe(0);
  });

  it('init twice and join twice: one control plane and one agent per data dir; a held node API port stops join before it begins', async () => {
    const c = await newNode('c');
    const first = await tinykube('init', ...upFlags(c));
    expect(first.code, first.stderr).toBe(0);
    const cp = daemonsOf(c.dir);
    const second = await tinykube('init', ...upFlags(c));
    expect(second.code, second.stderr).toBe(0);
    expect(daemonsOf(c.dir)).toEqual(cp);
    const m = /tinykube join (\S+) --token (\S+) \\\n\t--ca-cert-hash (\S+)\n/.exec(second.stdout);
    expect(m?.[1]).toBe(`https://127.0.0.1:${c.cpPort}`);
    const joinArgs = (n: TestNode, ...extra: string[]) => ['join', m![1]!, '--token', m![2]!, '--ca-cert-hash', m![3]!, ...nodeFlags(n), ...extra];

    const j = await newNode('j');
    const j1 = await tinykube(...joinArgs(j));
    expect(j1.code, j1.stderr).toBe(0);
    const agent1 = daemonsOf(j.dir).agent;
    expect(agent1).toHaveLength(1);
    const j2 = await tinykube(...joinArgs(j));
    expect(j2.code, j2.stderr).toBe(0);
    const agent2 = daemonsOf(j.dir).agent;
    expect(agent2).toHaveLength(1);
    expect(agent2).not.toEqual(agent1);
    expect(pidFile(j.dir, 'agent.pid')).toBe(agent2[0]);
    await nodeReady(c, j.name);

    const k = await newNode('k');
    const held = await listen();
    const refused = await tinykube(...joinArgs(k, '--node-api-port', String(held)));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^tinykube: port ${held} is in use by pid ${process.pid} \\(.*\\): stop it, or give the node another --node-api-port\\n$`));
    expect(existsSync(k.dir)).toBe(false);

    for (const n of [j, c]) {
      const down = await tinykube('down', '--data-dir', n.dir, '--purge');
      expect(down.code, down.stderr).toBe(0);
      expect(daemonsOf(n.dir)).toEqual({ server: [], agent: [] });
      expect(existsSync(n.dir)).toBe(false);
    }
  });
});
