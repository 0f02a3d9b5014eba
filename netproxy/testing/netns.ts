/**
 * A throwaway two-namespace rig for netproxy integration tests and the benchmark. Node netns
 * `tk<rand>` (lo, "LAN" address 10.200.77.2 on a veth pair kept inside it, service CIDR routed
 * there, route_localnet=1, icmp_ratelimit=0, no default route) and pod netns `tk<rand>p` joined to
 * it by a veth (node 10.244.1.1/24, pod 10.244.1.2 and .3). Only addresses created here are ever
 * contacted; processes are ended by PID; close() deletes both namespaces.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { inNetns } from '../../lib/exec/netns.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import type { RunOptions, RunResult } from '../../lib/exec/runner.js';

const runner = new ProcessRunner();
const run = (cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult> => runner.run(cmd, args, opts);

export const NODE_IP = '10.200.77.2';
export const POD_GW = '10.244.1.1';
export const POD_IPS = ['10.244.1.2', '10.244.1.3'] as const;
export const SERVICE_CIDR = '10.96.0.0/12';

/** Why netns tests cannot run here, or undefined when they can. */
export async function netnsUnavailableReason(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'needs root (ip netns, iptables)';
  for (const tool of ['ip', 'iptables', 'iptables-restore', 'conntrack']) {
    try { await run('sh', ['-c', `command -v ${tool}`]); } catch { return `${tool} not installed`; }
  }
  const probe = `tkprobe${randomBytes(3).toString('hex')}`;
  try { await run('ip', ['netns', 'add', probe]); } catch (err) { return `ip netns add failed: ${String(err)}`; }
  await run('ip', ['netns', 'del', probe]).catch(() => undefined); // best effort: the probe holds nothing
  return undefined;
}

export interface HttpResult { ok: boolean; body?: string; code?: string; ms: number }

/** Client script run inside a netns: sequential GETs (new connection each), JSON results. */
const CLIENT = `
const http = require('node:http');
const [url, n, timeoutMs] = JSON.parse(process.argv[1]);
(async () => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    out.push(await new Promise((resolve) => {
      const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
        let body = ''; res.setEncoding('utf8'); res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ ok: res.statusCode === 200, body, ms: performance.now() - t0 }));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => resolve({ ok: false, code: e.code ?? String(e), ms: performance.now() - t0 }));
    }));
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

/** HTTP server run in the pod netns: answers with the local address it was reached on. */
const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => { res.end(req.socket.localAddress.replace('::ffff:', '')); });
s.listen(Number(process.argv[1]), '0.0.0.0', () => process.stdout.write('listening\\n'));
`;

export class TestNetns {
  readonly node: string;
  readonly pod: string;
  private readonly procs: ChildProcess[] = [];

  private constructor(id: string) {
    this.node = `tk${id}`;
    this.pod = `tk${id}p`;
  }

  static async create(): Promise<TestNetns> {
    const id = randomBytes(3).toString('hex');
    const ns = new TestNetns(id);
    const { node, pod } = ns;
    const ip = (...a: string[]) => run('ip', a);
    const sysctl = (n: string, ...kv: string[]) => run('ip', ['netns', 'exec', n, 'sysctl', '-qw', ...kv]);
    try {
      await ip('netns', 'add', node);
      await ip('netns', 'add', pod);
      await ip('-n', node, 'link', 'set', 'lo', 'up');
      await ip('-n', pod, 'link', 'set', 'lo', 'up');
      // node <-> pod
      await ip('-n', node, 'link', 'add', `tkv${id}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod);
      await ip('-n', node, 'addr', 'add', `${POD_GW}/24`, 'dev', `tkv${id}`);
      await ip('-n', node, 'link', 'set', `tkv${id}`, 'up');
      for (const a of POD_IPS) await ip('-n', pod, 'addr', 'add', `${a}/24`, 'dev', 'eth0');
      await ip('-n', pod, 'link', 'set', 'eth0', 'up');
      await ip('-n', pod, 'route', 'add', 'default', 'via', POD_GW);
      // the node's "LAN" address on a veth pair that stays inside the node netns
      await ip('-n', node, 'link', 'add', `tkl${id}`, 'type', 'veth', 'peer', 'name', `tkm${id}`);
      await ip('-n', node, 'addr', 'add', `${NODE_IP}/24`, 'dev', `tkl${id}`);
      await ip('-n', node, 'link', 'set', `tkl${id}`, 'up');
      await ip('-n', node, 'link', 'set', `tkm${id}`, 'up');
      await ip('-n', node, 'route', 'add', SERVICE_CIDR, 'dev', `tkl${id}`);
      await sysctl(node, 'net.ipv4.ip_forward=1', 'net.ipv4.conf.all.route_localnet=1', 'net.ipv4.icmp_ratelimit=0',
        'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv4.conf.all.send_redirects=0');
      await sysctl(pod, 'net.ipv4.icmp_ratelimit=0', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0');
    } catch (err) {
      await ns.close();
      throw err;
    }
    return ns;
  }

  /** Starts the HTTP endpoint in the pod netns (port 8080 by default). */
  async startServer(port = 8080): Promise<void> {
    const child = spawn('ip', ['netns', 'exec', this.pod, process.execPath, '-e', SERVER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.procs.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  }

  /** `n` sequential GETs of `url` from inside `netns` (default: the node). */
  async get(url: string, n = 1, opts: { netns?: string; timeoutMs?: number } = {}): Promise<HttpResult[]> {
    const { stdout } = await inNetns(runner, opts.netns ?? this.node).run(process.execPath, ['-e', CLIENT, JSON.stringify([url, n, opts.timeoutMs ?? 2000])], { timeoutMs: 60_000 });
    return JSON.parse(stdout) as HttpResult[];
  }

  /** Runs a command in the node netns. */
  exec(cmd: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
    return inNetns(runner, this.node).run(cmd, args);
  }

  async close(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null && p.pid) { try { process.kill(p.pid, 'SIGTERM'); } catch { /* already gone */ } }
    for (const n of [this.pod, this.node]) await run('ip', ['netns', 'del', n]).catch(() => undefined); // may not exist after a failed create
  }
}
