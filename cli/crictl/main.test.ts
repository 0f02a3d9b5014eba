import { PassThrough, Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import type { ContainerStats, PodSandboxConfig } from '../../cri/types.js';
import { crictlCommand } from './main.js';
import type { CrictlRuntime } from './runtime-target.js';

const NOW = 1_700_000_000_000;
const sink = () => { let text = ''; return { w: new Writable({ write(c: Buffer, _e, cb) { text += c.toString(); cb(); } }), text: () => text }; };

let rt: FakeRuntime & Partial<{ containerStats(id: string): Promise<ContainerStats> }>;
let web: { sandbox: string; container: string };

async function addPod(name: string, namespace: string, createdAgoMs: number, container = 'c', image = 'tinykube/web:1') {
  const config: PodSandboxConfig = { metadata: { name, namespace, uid: `${name}-uid`, attempt: 0 }, labels: { app: name, 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': namespace } };
  const sandbox = await rt.runPodSandbox(config);
  const id = await rt.createContainer(sandbox, { metadata: { name: container, attempt: 1 }, image: { image }, labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': namespace } }, config);
  await rt.startContainer(id);
  rt.sandboxes.get(sandbox)!.s.createdAt = (NOW - createdAgoMs) * 1e6;
  rt.containers.get(id)!.c.createdAt = (NOW - createdAgoMs) * 1e6;
  return { sandbox, container: id };
}

async function crictl(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const stdin = new PassThrough();
  stdin.end('piped\n');
  const code = await crictlCommand(argv, { in: stdin, out: out.w, err: err.w },
    { openRuntime: () => rt as CrictlRuntime, now: () => NOW, sleep: async () => undefined, env: '', recordedEndpoint: () => 'docker:///var/run/docker.sock' });
  return { code, out: out.text(), err: err.text() };
}

beforeEach(async () => {
  rt = new FakeRuntime({ images: ['tinykube/web:1', 'tinykube/busybox:1'] });
  web = await addPod('web', 'default', 75_000);
  await addPod('db', 'prod', 3 * 3_600_000, 'postgres', 'tinykube/busybox:1');
});

describe('tinykube crictl over a fake runtime', () => {
  it('pods: the crictl table, newest first, CREATED from the clock', async () => {
    const r = await crictl('pods');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`${'POD ID'.padEnd(20)}${'CREATED'.padEnd(21)}${'STATE'.padEnd(20)}${'NAME'.padEnd(20)}${'NAMESPACE'.padEnd(20)}${'ATTEMPT'.padEnd(20)}RUNTIME`);
    expect(lines[1]).toBe(`${web.sandbox.slice(0, 13).padEnd(20)}${'About a minute ago'.padEnd(21)}${'Ready'.padEnd(20)}${'web'.padEnd(20)}${'default'.padEnd(20)}${'0'.padEnd(20)}(default)`);
    expect(lines[2]).toMatch(/^\w{13}\s+3 hours ago\s+Ready\s+db\s+prod\s+0\s+\(default\)$/);
  });

  it('pods: --name/--namespace regexps, --state, --label, -q, --latest, --last', async () => {
    expect((await crictl('pods', '--name', '^w', '-q')).out).toBe(`${web.sandbox}\n`);
    expect((await crictl('pods', '--namespace', 'prod', '-q')).out).not.toContain(web.sandbox);
    expect((await crictl('pods', '--label', 'app=web', '-q')).out).toBe(`${web.sandbox}\n`);
    expect((await crictl('pods', '--latest', '-q')).out).toBe(`${web.sandbox}\n`);
    expect((await crictl('pods', '-n', '5', '-q')).out.trim().split('\n')).toHaveLength(2);
    await rt.stopPodSandbox(web.sandbox);
    expect((await crictl('pods', '--state', 'notready', '-q')).out).toBe(`${web.sandbox}\n`);
    expect((await crictl('pods', '--state', 'bogus')).code).toBe(2);
  });

  it('pods -o json|yaml: the CRI list response', async () => {
    const j = JSON.parse((await crictl('pods', '--name', 'web', '-o', 'json')).out) as { items: Array<Record<string, unknown>> };
    expect(j.items[0]).toMatchObject({ id: web.sandbox, state: 'SANDBOX_READY', metadata: { name: 'web', namespace: 'default', attempt: 0 }, createdAt: String((NOW - 75_000) * 1e6) });
    expect((await crictl('pods', '-o', 'yaml', '--name', 'web')).out).toContain('state: SANDBOX_READY');
  });

  it('ps: running containers with pod name and namespace; -a, --pod prefix, --name, --state', async () => {
    const r = await crictl('ps');
    expect(r.out.split('\n')[0]).toMatch(/^CONTAINER\s+IMAGE\s+CREATED\s+STATE\s+NAME\s+ATTEMPT\s+POD ID\s+POD$/);
    expect(r.out).toMatch(new RegExp(`${web.container.slice(0, 13)}\\s+tinykube/web:1\\s+About a minute ago\\s+Running\\s+c\\s+1\\s+${web.sandbox.slice(0, 13)}\\s+web\\n`));
    expect((await crictl('ps', '-q', '--pod', web.sandbox.slice(0, 6))).out).toBe(`${web.container}\n`);
    expect((await crictl('ps', '-q', '--name', 'postg')).out).not.toContain(web.container);
    await rt.stopContainer(web.container, 0);
    expect((await crictl('ps', '-q')).out).not.toContain(web.container);
    expect((await crictl('ps', '-a', '-q')).out).toContain(web.container);
    expect((await crictl('ps', '--state', 'exited', '-q')).out).toBe(`${web.container}\n`);
  });

  it('images: IMAGE, TAG, IMAGE ID, SIZE; -q', async () => {
    const r = await crictl('images');
    expect(r.out.split('\n')[0]).toMatch(/^IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
    expect(r.out).toMatch(/tinykube\/busybox\s+1\s+[0-9a-f]{13}\s+1.02kB/);
    expect((await crictl('images', '-q')).out.split('\n')[0]).toMatch(/^sha256:/);
  });

  it('inspect and inspectp by prefix: {status, info}, the pod IP from the lookup', async () => {
    const c = JSON.parse((await crictl('inspect', web.container.slice(0, 8))).out) as { status: Record<string, unknown>; info: unknown };
    expect(c.status).toMatchObject({ id: web.container, state: 'CONTAINER_RUNNING', metadata: { name: 'c', attempt: 1 }, createdAt: '2023-11-14T22:12:05Z' });
    const p = JSON.parse((await crictl('inspectp', web.sandbox.slice(0, 8))).out) as { status: { network: { ip: string } } };
    expect(p.status.network.ip).toBe('10.88.0.2');
    const missing = await crictl('inspectp', 'zzzz');
    expect([missing.code, missing.err]).toEqual([1, 'crictl: pod sandbox "zzzz" not found\n']);
  });

  it('logs with --tail and --timestamps; exec with exit code and stdin', async () => {
    rt.log(web.container, 'one');
    rt.log(web.container, 'two');
    rt.log(web.container, 'oops', { stream: 'stderr' });
    const all = await crictl('logs', web.container.slice(0, 5));
    expect([all.out, all.err]).toEqual(['one\ntwo\n', 'oops\n']);
    expect((await crictl('logs', '--tail', '1', web.container)).err).toBe('oops\n');
    expect((await crictl('logs', '-t', web.container)).out).toMatch(/^\d{4}-\d\d-\d\dT\S+ one\n/);
    rt.onExec('c', (cmd) => ({ stdout: Buffer.from(`${cmd.slice(1).join(' ')}\n`), exitCode: cmd[0] === 'fail' ? 3 : 0 }));
    expect(await crictl('exec', web.container, 'echo', 'hi', '-n')).toMatchObject({ code: 0, out: 'hi -n\n' });
    expect((await crictl('exec', '-i', web.container, 'fail')).code).toBe(3);
    expect(await crictl('exec', '-s', web.container, 'echo', 'sync')).toMatchObject({ code: 0, out: 'sync\n\n\n' });
    expect((await crictl('exec', web.container)).code).toBe(2);
  });

  it('stop, rm (-f for running), stopp, rmp (-f for ready)', async () => {
    const notForced = await crictl('rm', web.container);
    expect(notForced.code).toBe(1);
    expect(notForced.err).toContain('is running');
    expect((await crictl('stop', web.container.slice(0, 6))).out).toBe(`${web.container.slice(0, 6)}\n`);
    expect((await crictl('rm', web.container)).code).toBe(0);
    expect(rt.containers.has(web.container)).toBe(false);
    expect((await crictl('rmp', web.sandbox)).code).toBe(1);
    expect((await crictl('stopp', web.sandbox)).out).toBe(`Stopped sandbox ${web.sandbox}\n`);
    expect((await crictl('rmp', web.sandbox)).out).toBe(`Removed sandbox ${web.sandbox}\n`);
    expect(rt.sandboxes.has(web.sandbox)).toBe(false);
  });

  it('pull, rmi, version, info, stats', async () => {
    expect((await crictl('pull', 'tinykube/new:1')).out).toMatch(/^Image is up to date for sha256:/);
    expect((await crictl('rmi', 'tinykube/new:1')).out).toBe('Deleted: tinykube/new:1\n');
    expect((await crictl('version')).out).toBe('Version:  0.1.0\nRuntimeName:  fake\nRuntimeVersion:  0.1.0\nRuntimeApiVersion:  v1\n');
    const info = JSON.parse((await crictl('info')).out) as { status: { conditions: Array<{ type: string; status: boolean }> } };
    expect(info.status.conditions.map((c) => [c.type, c.status])).toEqual([['RuntimeReady', true], ['NetworkReady', true]]);
    expect((await crictl('stats')).code).toBe(1);
    rt.containerStats = async (id) => ({ id, metadata: { name: 'c', attempt: 1 }, labels: {}, cpu: { timestamp: 1, usageCoreNanoSeconds: 5, usageNanoCores: 12_340_000 },
      memory: { timestamp: 1, workingSetBytes: 2_048_000 }, writableLayer: { timestamp: 1, usedBytes: 4096 } });
    const s = await crictl('stats', web.container.slice(0, 4));
    expect(s.out).toMatch(new RegExp(`^CONTAINER\\s+NAME\\s+CPU %\\s+MEM\\s+DISK\\s+INODES\\n${web.container.slice(0, 13)}\\s+c\\s+1.23\\s+2.048MB\\s+4.096kB\\s+0\\n$`));
  });

  it('usage errors exit 2 with one line', async () => {
    for (const argv of [['nope'], ['pods', 'extra'], ['ps', '--bogus'], ['logs'], ['inspect']]) {
      const r = await crictl(...argv);
      expect([r.code, r.err.split('\n').length]).toEqual([2, 2]);
    }
    expect((await crictl()).code).toBe(2);
    expect((await crictl('help')).out).toContain('usage: tinykube crictl');
  });
});

describe('removal of something already gone', () => {
  it('a full ID passes through to the idempotent runtime call; a prefix stays NotFound', async () => {
    const gone = 'a'.repeat(64);
    expect(await crictl('rmp', gone)).toMatchObject({ code: 0, out: `Removed sandbox ${gone}\n` });
    expect(await crictl('rm', gone)).toMatchObject({ code: 0 });
    expect((await crictl('rmp', 'aaaa')).code).toBe(1);
  });
});

describe('CRI calls beyond the contract, when the runtime has them', () => {
  it('info: the Status conditions with the verbose info flattened beside them', async () => {
    const extra = rt as FakeRuntime & { status?: CrictlRuntime['status'] };
    extra.status = async () => ({ conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }], info: { config: '{"a":1}', plain: 'text' } });
    expect(JSON.parse((await crictl('info')).out)).toEqual({ status: { conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }] }, config: { a: 1 }, plain: 'text' });
  });

  it('inspectp: the verbose info beside the status, as crictl prints containerd\'s', async () => {
    const extra = rt as FakeRuntime & { podSandboxStatusVerbose?: CrictlRuntime['podSandboxStatusVerbose'] };
    extra.podSandboxStatusVerbose = async (id) => ({ status: await rt.podSandboxStatus(id), info: { info: '{"pid":42}' } });
    const j = JSON.parse((await crictl('inspectp', web.sandbox)).out) as { status: { network: { ip: string } }; info: unknown };
    expect(j.info).toEqual({ pid: 42 });
    expect(j.status.network.ip).toBe('10.88.0.2');
    expect(JSON.parse((await crictl('inspectp', '-q', web.sandbox)).out)).not.toHaveProperty('info');
  });

  it('stats: CPU % from two samples of ListContainerStats', async () => {
    let n = 0;
    const extra = rt as FakeRuntime & { listContainerStats?: CrictlRuntime['listContainerStats'] };
    extra.listContainerStats = async () => {
      n++;
      return [{ id: web.container, metadata: { name: 'c', attempt: 1 }, labels: {}, cpu: { timestamp: n * 1e9, usageCoreNanoSeconds: n * 250_000_000 }, memory: { timestamp: 1, workingSetBytes: 1000 } }];
    };
    const s = await crictl('stats', '--id', web.container.slice(0, 6));
    expect(s.out.split('\n')[1]).toMatch(/^\w{13}\s+c\s+25\.00\s+1kB\s+0B\s+0$/);
    expect(n).toBe(2);
  });

  it('falls back to the contract when the runtime answers UNIMPLEMENTED', async () => {
    const { CriError } = await import('../../cri/errors.js');
    const extra = rt as FakeRuntime & Partial<Pick<CrictlRuntime, 'status' | 'containerStatusVerbose'>>;
    extra.status = async () => { throw new CriError('Unimplemented', 'unknown method Status'); };
    extra.containerStatusVerbose = async () => { throw new CriError('Unimplemented', 'unknown method'); };
    const info = JSON.parse((await crictl('info')).out) as { status: { conditions: unknown[] } };
    expect(info.status.conditions).toHaveLength(2);
    expect(JSON.parse((await crictl('inspect', web.container)).out)).toMatchObject({ status: { id: web.container } });
  });

  it('inspecti: an image by reference', async () => {
    const j = JSON.parse((await crictl('inspecti', 'tinykube/busybox:1')).out) as { status: { repoTags: string[] } };
    expect(j.status.repoTags).toEqual(['tinykube/busybox:1']);
  });
});

describe('port-forward', () => {
  it('parses [LOCAL:]REMOTE as crictl does', async () => {
    const { parsePortSpec } = await import('./commands/port-forward.js');
    expect([parsePortSpec('8080:80'), parsePortSpec('80'), parsePortSpec(':80')]).toEqual([{ local: 8080, remote: 80 }, { local: 80, remote: 80 }, { local: 0, remote: 80 }]);
    for (const bad of ['x', '1:', '80:0', '70000']) expect(() => parsePortSpec(bad)).toThrow(/invalid port/);
  });

  it('carries a local connection into the sandbox port until the signal ends it', async () => {
    const { connect } = await import('node:net');
    const ac = new AbortController();
    const out = sink();
    const done = crictlCommand(['port-forward', web.sandbox.slice(0, 6), ':8080'], { in: new PassThrough(), out: out.w, err: sink().w },
      { openRuntime: () => rt as CrictlRuntime, now: () => NOW, env: '', recordedEndpoint: () => 'docker:///x', signal: ac.signal });
    const port = await new Promise<number>((resolve) => {
      const t = setInterval(() => { const m = /127\.0\.0\.1:(\d+) -> 8080/.exec(out.text()); if (m) { clearInterval(t); resolve(Number(m[1])); } }, 5);
    });
    const echoed = await new Promise<string>((resolve) => {
      const c = connect(port, '127.0.0.1', () => c.write('ping'));
      c.once('data', (d: Buffer) => { resolve(d.toString()); c.destroy(); });
    });
    expect(echoed).toBe('ping');
    expect(rt.forwardedPorts).toEqual([8080]);
    ac.abort();
    expect(await done).toBe(0);
  });
});
