/**
 * DockerRuntime streaming verbs against the real dockerd: exec with stdin and with a TTY, attach,
 * logs (follow, tail, since), port-forward into a CNI pod, and a pull that cannot succeed.
 * One sandbox on a unique bridge/subnet; everything is removed in afterAll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { isCriError } from '../../cri/errors.js';
import type { ContainerConfig, PodSandboxConfig, StreamSession } from '../../cri/types.js';
import {
  appConfigFor, cleanupFixture, createFixture, dockerSkipReason, INDEX_HTML, podConfigFor, runtimeFor, type Fixture,
} from './docker-runtime.fixture.js';
import { eventually } from '../helpers/eventually.js';

const skipReason = await dockerSkipReason();
if (skipReason !== undefined) console.warn(`docker-runtime-streams.int.test.ts skipped: ${skipReason}`);

function collect(s: StreamSession): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  s.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  s.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
  return { out: () => out, err: () => err };
}

describe.skipIf(skipReason !== undefined)('DockerRuntime streams (real Docker + CNI)', () => {
  let fx: Fixture;
  let rt: DockerRuntime;
  let sandboxId = '';
  let sandboxCfg: PodSandboxConfig;
  let webId = '';

  const runApp = async (name: string, extra: Partial<ContainerConfig>): Promise<string> => {
    const id = await rt.createContainer(sandboxId, appConfigFor(fx, name, extra), sandboxCfg);
    await rt.startContainer(id);
    return id;
  };

  beforeAll(async () => {
    fx = await createFixture();
    rt = runtimeFor(fx);
    sandboxCfg = podConfigFor(fx, 'streams');
    sandboxId = await rt.runPodSandbox(sandboxCfg);
    webId = await runApp('httpd', { command: ['httpd', '-f', '-p', '80', '-h', '/www'] });
  }, 60_000);

  afterAll(async () => {
    if (fx === undefined) return;
    await rt.removePodSandbox(sandboxId).catch(() => undefined);
    const problems = await cleanupFixture(fx);
    if (problems.length > 0) console.warn(`cleanup problems: ${problems.join('; ')}`);
  }, 60_000);

  it('streams an exec with stdin; stdout and stderr stay apart', async () => {
    const s = await rt.exec(webId, { cmd: ['sh', '-c', 'cat; echo done >&2'], tty: false, stdin: true, stdout: true, stderr: true });
    const c = collect(s);
    s.stdin?.end('hello stdin\n');
    expect(await s.exitCode).toBe(0);
    await eventually(() => { expect([c.out(), c.err()], 'exec output').toEqual(['hello stdin\n', 'done\n']); }, { timeoutMs: 2000, intervalMs: 50 });
  });

  it('runs an exec on a TTY and resizes it', async () => {
    const s = await rt.exec(webId, { cmd: ['sh', '-c', 'sleep 0.3; tty; stty size; exit 4'], tty: true, stdin: false, stdout: true, stderr: true });
    const c = collect(s);
    expect(s.stderr).toBeUndefined();
    s.resize?.({ width: 100, height: 30 });
    expect(await s.exitCode).toBe(4);
    await eventually(() => { expect(c.out(), 'tty output').toContain('30 100'); }, { timeoutMs: 2000, intervalMs: 50 });
    expect(c.out()).toMatch(/\/dev\/pts\/\d+/);
  });

  it('attaches to a container main process with stdin', async () => {
    const id = await runApp('cat', { command: ['cat'], stdin: true, stdinOnce: true });
    const s = await rt.attach(id, { tty: false, stdin: true, stdout: true, stderr: true });
    const c = collect(s);
    s.stdin?.write('via attach\n');
    await eventually(() => { expect(c.out(), 'attach echo').toBe('via attach\n'); }, { timeoutMs: 3000, intervalMs: 50 });
    s.stdin?.end();
    expect(await s.exitCode).toBe(0);
    expect((await rt.containerStatus(id)).reason).toBe('Completed');
    await rt.removeContainer(id);
  });

  it('follows logs until the container exits; tail and since limit them', async () => {
    const id = await runApp('logger', { command: ['sh', '-c', 'for i in 1 2 3; do echo line$i; echo err$i >&2; sleep 0.3; done'] });
    const lines: string[] = [];
    const times: string[] = [];
    for await (const l of rt.containerLogs(id, { follow: true }, AbortSignal.timeout(10_000))) {
      lines.push(`${l.stream}:${l.line.toString()}`);
      times.push(l.time);
    }
    expect(lines.filter((l) => l.startsWith('stdout:'))).toEqual(['stdout:line1', 'stdout:line2', 'stdout:line3']);
    expect(lines.filter((l) => l.startsWith('stderr:'))).toEqual(['stderr:err1', 'stderr:err2', 'stderr:err3']);
    const read = async (opts: { tailLines?: number; sinceTime?: Date }): Promise<string[]> => {
      const out: string[] = [];
      for await (const l of rt.containerLogs(id, { follow: false, ...opts }, new AbortController().signal)) out.push(l.line.toString());
      return out;
    };
    expect(await read({ tailLines: 2 })).toHaveLength(2);
    const last = new Date(Date.parse(times[times.length - 1] ?? '') - 100);
    expect((await read({ sinceTime: last })).length).toBeLessThan(6);
    await rt.removeContainer(id);
  });

  it('stops following when the signal aborts', async () => {
    const ac = new AbortController();
    const got: string[] = [];
    setTimeout(() => ac.abort(), 500);
    for await (const l of rt.containerLogs(webId, { follow: true }, ac.signal)) got.push(l.line.toString());
    expect(got).toEqual([]);
  });

  it('port-forwards to the pod', async () => {
    const sock = await rt.portForward(sandboxId, 80);
    let body = '';
    sock.on('data', (b: Buffer) => { body += b.toString(); });
    sock.end('GET / HTTP/1.0\r\n\r\n');
    await new Promise((r) => sock.on('close', r));
    expect(body).toContain(INDEX_HTML.trim());
    await expect(rt.portForward('no-such-sandbox', 80)).rejects.toSatisfy((e) => isCriError(e, 'NotFound'));
  });

  it('fails a pull from an unreachable registry with a CriError', async () => {
    await expect(rt.pullImage({ image: `127.0.0.1:9/${fx.scope}/absent:1` })).rejects.toSatisfy((e) => isCriError(e));
  });
});
