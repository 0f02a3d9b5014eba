/**
 * Issue 13 (item 4a) with a real agent and the real kubectl, on Docker and on containerd (a private
 * one): container logs rotate at a small --container-log-max-size (live file renamed to
 * <log>.<YYYYMMDD-HHMMSS>, older ones gzipped, at most --container-log-max-files kept) while
 * `kubectl logs` reads the live file and `kubectl logs -f` follows across every rotation without a
 * gap; an image pull from a registry that accepts and never answers ends at
 * --image-pull-progress-deadline (ErrImagePull, then ImagePullBackOff) while another pod starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { startPrivateContainerd, type PrivateContainerd } from '../helpers/private-containerd.js';
import { TestAgent } from '../helpers/test-agent.js';

const run = promisify(execFile);
const MAX_SIZE = 32 * 1024;
const MAX_FILES = 3;
/** Long enough to see another pod start while the pull hangs. */
const PULL_DEADLINE_S = 20;
const AGENT_FLAGS = ['--container-log-max-size', '32Ki', '--container-log-max-files', String(MAX_FILES),
  '--container-log-monitor-interval', '3s', '--image-pull-progress-deadline', `${PULL_DEADLINE_S}s`];

/** A registry that accepts connections and never answers a byte. */
class SilentRegistry {
  readonly sockets = new Set<Socket>();
  accepted = 0;
  readonly server: Server = createServer((s) => {
    this.accepted++;
    this.sockets.add(s);
    s.on('error', () => undefined); // the client going away is expected
    s.on('close', () => this.sockets.delete(s));
  });
  port = 0;
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    this.port = typeof a === 'object' && a !== null ? a.port : 0;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** The numbers of "line N …" lines, in order. */
const numbers = (text: string): number[] => [...text.matchAll(/^(?:\S+ \S+ [PF] )?line (\d+) /gm)].map((m) => Number(m[1]));
const consecutive = (ns: number[]): boolean => ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1);

interface Target { runtime: string; setUp(hang: SilentRegistry): Promise<{ runtimeEndpoint?: string }>; tearDown(): Promise<void> }
let containerd: PrivateContainerd | undefined;
const TARGETS: Target[] = [
  { runtime: 'Docker', setUp: () => Promise.resolve({}), tearDown: () => Promise.resolve() },
  {
    runtime: 'containerd',
    async setUp(hang) {
      containerd = await startPrivateContainerd({ name: `logs-e2e-${randomBytes(3).toString('hex')}` });
      // plain HTTP to the silent registry: the pull then hangs on its first request
      const dir = join(containerd.configDir, 'certs.d', `127.0.0.1:${hang.port}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'hosts.toml'), `server = "http://127.0.0.1:${hang.port}"\n\n[host."http://127.0.0.1:${hang.port}"]\n  capabilities = ["pull", "resolve"]\n`);
      return { runtimeEndpoint: containerd.endpoint };
    },
    async tearDown() { await containerd?.stop(); containerd = undefined; },
  },
];

describe.each(TARGETS)('container logs and image pulls on $runtime', (target) => {
  const cp = new TestControlPlane();
  const hang = new SilentRegistry();
  let agent: TestAgent | undefined;
  beforeAll(async () => {
    await hang.start();
    const extra = await target.setUp(hang);
    await cp.start();
    agent = new TestAgent(cp, { extraArgs: AGENT_FLAGS, ...extra });
    await agent.start();
  }, 180_000);
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
    await target.tearDown();
    await hang.stop();
  }, 120_000);

  const pod = (name: string, spec: string) => cp.manifest(`${name}.yaml`, `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n${spec}`);
  const jp = (name: string, path: string) => cp.k('get', 'pod', name, '-o', `jsonpath={${path}}`);

  it('rotates the log at max-size, gzips older files, keeps max-files; kubectl logs reads the live file, -f follows across rotations', async () => {
    // ~100 lines of 120 bytes a second: a rotation every few seconds at 32 KiB
    const script = 'i=0; p=$(printf "%0100d" 0); while true; do i=$((i+1)); echo "line $i $p"; sleep 0.01; done';
    await cp.k('apply', '-f', pod('logger', `  containers: [{name: logger, image: "tinykube/busybox:1", command: ["sh", "-c", '${script}']}]\n`));
    await eventually(async () => { expect(await jp('logger', '.status.phase')).toBe('Running'); }, { timeoutMs: 60_000, intervalMs: 200 });
    const uid = await jp('logger', '.metadata.uid');
    const dir = join(agent!.dataDir, 'logs', `default_logger_${uid}`, 'logger');

    // a follower from before the first rotation
    let followed = '';
    const follow = spawn('kubectl', ['--kubeconfig', cp.kubeconfig, '--cache-dir', cp.cacheDir, 'logs', '-f', 'logger'], { stdio: ['ignore', 'pipe', 'pipe'] });
    follow.stdout.on('data', (d: Buffer) => { followed += d.toString(); });
    try {
      const rotatedName = /^0\.log\.\d{8}-\d{6}(\.gz)?$/;
      await eventually(() => {
        const files = readdirSync(dir).filter((f) => !f.endsWith('.tmp'));
        expect(files.filter((f) => f.endsWith('.gz')).length).toBeGreaterThanOrEqual(1);
        expect(files.length).toBeLessThanOrEqual(MAX_FILES);
        for (const f of files.filter((n) => n !== '0.log')) expect(f).toMatch(rotatedName);
      }, { timeoutMs: 90_000, intervalMs: 500 });

      // a gzipped rotation holds CRI-format lines, in order
      const gz = readdirSync(dir).find((f) => f.endsWith('.gz'))!;
      const old = numbers(gunzipSync(readFileSync(join(dir, gz))).toString());
      expect(old.length).toBeGreaterThan(100);
      expect(consecutive(old)).toBe(true);

      // kubectl logs: the live file only (the first lines are rotated away), no gap inside it
      const now = numbers(await cp.k('logs', 'logger'));
      expect(now.length).toBeGreaterThan(0);
      expect(now[0]!).toBeGreaterThan(old.at(-1)!);
      expect(consecutive(now)).toBe(true);
      const tail = numbers(await cp.k('logs', 'logger', '--tail', '5'));
      expect(tail).toHaveLength(5);
      expect(consecutive(tail)).toBe(true);
      expect(tail[0]!).toBeGreaterThanOrEqual(now.at(-1)! - 4);

      // the follower saw line 1 onwards, every line once, past the start of the live file
      await eventually(() => {
        const seen = numbers(followed);
        expect(seen[0]).toBe(1);
        expect(seen.at(-1)!).toBeGreaterThan(now[0]!);
        expect(consecutive(seen)).toBe(true);
      }, { timeoutMs: 30_000, intervalMs: 500 });
      expect(follow.exitCode).toBeNull();
    } finally {
      follow.kill();
    }
    // no file ever grows far beyond max-size (a round every 3 s at ~12 KiB/s)
    for (const f of readdirSync(dir).filter((n) => !n.endsWith('.gz'))) {
      expect(readFileSync(join(dir, f)).length).toBeLessThan(MAX_SIZE + 3 * 64 * 1024);
    }
    if (target.runtime === 'Docker') {
      // Docker's own json-file copy stays small: the CRI file is the one kept
      const id = (await agent!.containers()).find((c) => c.name.startsWith('k8s_logger_logger_'))!.id;
      const { stdout } = await run('docker', ['inspect', '--format', '{{json .HostConfig.LogConfig}}', id]);
      expect(JSON.parse(stdout)).toEqual({ Type: 'json-file', Config: { 'max-file': '2', 'max-size': '1m' } });
    }
    await cp.k('delete', 'pod', 'logger', '--grace-period=1', '--wait=false');
  });

  it('a pull from a registry that never answers ends at the progress deadline and backs off; another pod starts meanwhile', async () => {
    const image = `127.0.0.1:${hang.port}/tinykube/hang:1`;
    const failed = async () => (await cp.k('get', 'events', '--field-selector', 'involvedObject.name=stuck,reason=Failed', '-o', 'jsonpath={.items[*].message}'));
    await cp.k('apply', '-f', pod('stuck', `  containers: [{name: c, image: "${image}", imagePullPolicy: Always}]\n`));
    await eventually(() => { expect(hang.accepted).toBeGreaterThan(0); }, { timeoutMs: 30_000, intervalMs: 100 });
    await cp.k('apply', '-f', pod('quick', '  containers: [{name: c, image: "tinykube/busybox:1", command: ["sleep", "3600"]}]\n'));
    await eventually(async () => { expect(await jp('quick', '.status.phase')).toBe('Running'); }, { timeoutMs: 60_000, intervalMs: 200 });
    // quick ran while the pull still hung: no failure reported yet, the registry still holds a connection
    expect(await failed()).toBe('');
    expect(hang.sockets.size).toBeGreaterThan(0);
    expect(await jp('stuck', '.status.phase')).toBe('Pending');

    // the deadline ends it: ErrImagePull, then ImagePullBackOff (10 s)
    await eventually(async () => {
      expect(await failed()).toContain(`Failed to pull image "${image}"`);
    }, { timeoutMs: (PULL_DEADLINE_S + 30) * 1000, intervalMs: 500 });
    if (target.runtime === 'Docker') expect(await failed()).toMatch(/no progress for 20s/);
    await eventually(async () => {
      expect(await jp('stuck', '.status.containerStatuses[0].state.waiting.reason')).toBe('ImagePullBackOff');
    }, { timeoutMs: 30_000, intervalMs: 200 });
    expect(await jp('stuck', '.status.phase')).toBe('Pending');
    await eventually(async () => {
      expect(await cp.k('get', 'events', '--field-selector', 'involvedObject.name=stuck,reason=BackOff', '-o', 'jsonpath={.items[*].message}'))
        .toContain(`Back-off pulling image "${image}"`);
    }, { timeoutMs: 30_000, intervalMs: 500 });
    await cp.k('delete', 'pod', 'stuck', 'quick', '--grace-period=1', '--wait=false');
  });
});
