import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerState, ContainerStatus, LogLine } from '../types.js';
import { readContainerLog } from './follow-until-exit.js';

let dir = '';
afterEach(async () => { if (dir !== '') await rm(dir, { recursive: true, force: true }); });

const status = (logPath: string, state: ContainerState): ContainerStatus => ({
  id: 'c', podSandboxId: 's', metadata: { name: 'c', attempt: 0 }, image: { image: 'i' }, imageRef: 'r', state, createdAt: 1,
  labels: {}, annotations: {}, startedAt: 1, finishedAt: 0, exitCode: 0, reason: '', message: '', logPath,
});
const collect = async (it: AsyncIterable<LogLine>): Promise<string[]> => {
  const out: string[] = [];
  for await (const l of it) out.push(l.line.toString());
  return out;
};

describe('readContainerLog', () => {
  it('does not follow an exited container', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tk-follow-'));
    const path = join(dir, '0.log');
    await writeFile(path, '2026-01-01T00:00:00.1Z stdout F one\n');
    const t0 = Date.now();
    const lines = await collect(readContainerLog(status(path, 'CONTAINER_EXITED'), { follow: true }, { status: async () => status(path, 'CONTAINER_EXITED') }, AbortSignal.timeout(5000)));
    expect(lines).toEqual(['one']);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('follows a running container until a status poll sees it exit, with the lines written before the exit', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tk-follow-'));
    const path = join(dir, '0.log');
    await writeFile(path, '2026-01-01T00:00:00.1Z stdout F one\n');
    let state: ContainerState = 'CONTAINER_RUNNING';
    setTimeout(() => {
      void appendFile(path, '2026-01-01T00:00:00.2Z stderr F two\n').then(() => { state = 'CONTAINER_EXITED'; });
    }, 150);
    const t0 = Date.now();
    const lines = await collect(readContainerLog(status(path, 'CONTAINER_RUNNING'), { follow: true },
      { status: async () => status(path, state), pollMs: 50, drainMs: 400 }, AbortSignal.timeout(5000)));
    expect(lines).toEqual(['one', 'two']);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
