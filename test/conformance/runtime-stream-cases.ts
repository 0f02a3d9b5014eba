/** Conformance: execSync (output, exit code, timeout), containerLogs, and the events() stream. */
import { expect, it } from 'vitest';
import type { LogLine, PodSandboxConfig, RuntimeEvent } from '../../cri/types.js';
import { expectCriError, SLEEP, waitFor } from './runtime-cases.js';
import type { RuntimeRun } from './runtime-cases.js';

export function streamCases(run: RuntimeRun): void {
  const rt = () => run.target().runtime;
  /** A started container of `command` in a fresh sandbox named `name`. */
  const started = async (name: string, command: string[]): Promise<{ id: string; sandboxId: string }> => {
    const cfg: PodSandboxConfig = run.pod(name);
    const sandboxId = await rt().runPodSandbox(cfg);
    const id = await rt().createContainer(sandboxId, run.container('app', command), cfg);
    await rt().startContainer(id);
    return { id, sandboxId };
  };
  const exited = (id: string) => waitFor(`container ${id} to exit`, async () => {
    const st = await rt().containerStatus(id);
    return st.state === 'CONTAINER_EXITED' ? st : undefined;
  });
  const logs = async (id: string, opts: { follow: boolean; tailLines?: number }): Promise<LogLine[]> => {
    const out: LogLine[] = [];
    for await (const l of rt().containerLogs(id, opts, AbortSignal.timeout(20_000))) out.push(l);
    return out;
  };
  const text = (lines: LogLine[]) => lines.map((l) => `${l.stream} ${l.line.toString()}`);

  it('execSync returns stdout, stderr and the exit code', async () => {
    const { id } = await started('exec', SLEEP);
    const r = await rt().execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 3'], 10);
    expect([r.stdout.toString(), r.stderr.toString(), r.exitCode]).toEqual(['out\n', 'err\n', 3]);
    const ok = await rt().execSync(id, ['echo', 'hi'], 10);
    expect([ok.stdout.toString(), ok.exitCode]).toEqual(['hi\n', 0]);
  });

  it('execSync past its timeout is DeadlineExceeded', async () => {
    const { id } = await started('exec-timeout', SLEEP);
    const t0 = Date.now();
    await expectCriError(rt().execSync(id, ['sleep', '5'], 1), 'DeadlineExceeded');
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('containerLogs returns the lines the container wrote, in order, without newlines; tailLines keeps the last ones', async () => {
    const { id } = await started('logs', ['sh', '-c', 'echo one; echo two; echo three']);
    await exited(id);
    const all = await logs(id, { follow: false });
    expect(text(all)).toEqual(['stdout one', 'stdout two', 'stdout three']);
    expect(all.every((l) => l.time !== '')).toBe(true);
    expect(text(await logs(id, { follow: false, tailLines: 2 }))).toEqual(['stdout two', 'stdout three']);
    // following the log of an exited container ends with the log
    expect(text(await logs(id, { follow: true }))).toEqual(['stdout one', 'stdout two', 'stdout three']);
  });

  it('containerLogs keeps stderr apart', async () => {
    const { id } = await started('logs-stderr', ['sh', '-c', 'echo oops >&2']);
    await exited(id);
    expect(text(await logs(id, { follow: false }))).toEqual(['stderr oops']);
  });

  it('events() delivers the start and the exit of a started container, and ends quietly on abort', async () => {
    const ac = new AbortController();
    const seen: RuntimeEvent[] = [];
    const watching = (async () => { for await (const e of rt().events(ac.signal)) seen.push(e); })();
    // the stream starts at the call: give a remote runtime time to subscribe
    await new Promise((r) => setTimeout(r, 500));
    const { id, sandboxId } = await started('events', ['sh', '-c', 'exit 0']);
    const mine = (type: RuntimeEvent['type']) => seen.find((e) => e.containerId === id && e.type === type);
    const start = await waitFor('the start event', async () => mine('started'));
    const exit = await waitFor('the exit event', async () => mine('stopped'));
    expect(start.podSandboxId).toBe(sandboxId);
    expect(exit.podSandboxId).toBe(sandboxId);
    ac.abort();
    await watching;
  });
}
