/**
 * The CRI log files the Docker runtime writes itself (cri/docker/cri-log-file.ts), on real Docker:
 * CRI format at the container's log path, ReopenContainerLog after a rename (critest's "reopening
 * container log"), the last lines in place when the container is reported exited, and a second
 * runtime (an agent restart) resuming a cut-short file without writing a line twice.
 */
import { readFile, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { eventually } from '../helpers/eventually.js';
import { appConfigFor, cleanupFixture, createFixture, dockerSkipReason, podConfigFor, runtimeFor, type Fixture } from './docker-runtime.fixture.js';

const skipReason = await dockerSkipReason();
if (skipReason !== undefined) console.warn(`docker-cri-log.int.test.ts skipped: ${skipReason}`);

const CRI_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z) (stdout|stderr) ([PF]) (.*)$/;
const parse = async (path: string): Promise<{ stream: string; tag: string; text: string }[]> =>
  (await readFile(path, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '').map((l) => {
    const m = CRI_LINE.exec(l);
    if (m === null) throw new Error(`not a CRI log line: ${JSON.stringify(l)}`);
    return { stream: m[3]!, tag: m[4]!, text: m[5]! };
  });

describe.skipIf(skipReason !== undefined)('Docker runtime CRI log files (real Docker)', () => {
  let fx: Fixture;
  let rt: DockerRuntime;

  beforeAll(async () => {
    fx = await createFixture();
    rt = runtimeFor(fx);
  }, 60_000);

  afterAll(async () => {
    if (fx === undefined) return;
    const problems = await cleanupFixture(fx);
    if (problems.length > 0) console.warn(`cleanup problems: ${problems.join('; ')}`);
  }, 60_000);

  it('writes CRI lines and has them all when the container is reported exited', async () => {
    const pod = podConfigFor(fx, 'once');
    const sb = await rt.runPodSandbox(pod);
    const id = await rt.createContainer(sb, appConfigFor(fx, 'once', { command: ['sh', '-c', 'echo hello World; echo oops >&2'] }), pod);
    await rt.startContainer(id);
    const s = await eventually(async () => {
      const st = await rt.containerStatus(id);
      expect(st.state).toBe('CONTAINER_EXITED');
      return st;
    }, { timeoutMs: 20_000, intervalMs: 20 });
    expect(s.logPath).toBe(join(pod.logDirectory ?? '', 'once/0.log'));
    const lines = await parse(s.logPath);
    expect(lines).toEqual(expect.arrayContaining([{ stream: 'stdout', tag: 'F', text: 'hello World' }, { stream: 'stderr', tag: 'F', text: 'oops' }]));
    expect(lines).toHaveLength(2);
  }, 60_000);

  it('reopens the log after a rename: the new file gets the lines, the old one stops growing', async () => {
    const pod = podConfigFor(fx, 'loop');
    const sb = await rt.runPodSandbox(pod);
    const id = await rt.createContainer(sb, appConfigFor(fx, 'loop', { command: ['sh', '-c', 'while :; do echo hello World; sleep 0.2; done'] }), pod);
    await rt.startContainer(id);
    const path = (await rt.containerStatus(id)).logPath;
    await eventually(async () => expect((await parse(path)).length).toBeGreaterThan(0), { timeoutMs: 10_000, intervalMs: 50 });
    await rename(path, `${path}.1`);
    await rt.reopenContainerLog(id);
    await readFile(path); // there at once
    await eventually(async () => expect((await parse(path)).length).toBeGreaterThan(1), { timeoutMs: 10_000, intervalMs: 50 });
    const old = (await parse(`${path}.1`)).length;
    await new Promise((r) => setTimeout(r, 600));
    expect((await parse(`${path}.1`)).length).toBe(old);
    expect(await parse(path)).toContainEqual({ stream: 'stdout', tag: 'F', text: 'hello World' });
    await rt.stopContainer(id, 0);
    await expect(rt.reopenContainerLog(id)).rejects.toMatchObject({ kind: 'FailedPrecondition' });
    await rt.removeContainer(id);
  }, 60_000);

  it('a new runtime (agent restart) resumes a cut-short file without duplicates', async () => {
    const pod = podConfigFor(fx, 'count');
    const sb = await rt.runPodSandbox(pod);
    const id = await rt.createContainer(sb, appConfigFor(fx, 'count', { command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done'] }), pod);
    await rt.startContainer(id);
    const path = (await eventually(async () => {
      const st = await rt.containerStatus(id);
      expect(st.state).toBe('CONTAINER_EXITED');
      return st;
    }, { timeoutMs: 20_000, intervalMs: 20 })).logPath;
    const full = await readFile(path, 'utf8');
    expect((await parse(path)).map((l) => l.text)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    // as if the agent had died after three lines
    await truncate(path, full.split('\n').slice(0, 3).join('\n').length + 1);
    const again = runtimeFor(fx);
    await again.listContainers();
    await eventually(async () => expect((await parse(path)).map((l) => l.text)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']),
      { timeoutMs: 10_000, intervalMs: 50 });
    expect(await readFile(path, 'utf8')).toBe(full);
  }, 60_000);
});
