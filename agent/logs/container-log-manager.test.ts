import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../control/util/clock.js';
import type { Container, ContainerStatus } from '../../cri/types.js';
import { ContainerLogManager } from './container-log-manager.js';

/** A runtime with containers whose log paths are given; reopen creates the file anew, as a runtime does. */
class LogRuntime {
  readonly reopened: string[] = [];
  failReopen = false;
  constructor(readonly paths: Map<string, string>) {}
  listContainers(): Promise<Container[]> {
    return Promise.resolve([...this.paths.keys()].map((id) => ({ id, state: 'CONTAINER_RUNNING' }) as unknown as Container));
  }
  containerStatus(id: string): Promise<ContainerStatus> {
    return Promise.resolve({ id, logPath: this.paths.get(id) ?? '' } as unknown as ContainerStatus);
  }
  async reopenContainerLog(id: string): Promise<void> {
    if (this.failReopen) throw new Error('reopen failed');
    this.reopened.push(id);
    await writeFile(this.paths.get(id)!, '', { flag: 'a' });
  }
}

describe('ContainerLogManager', () => {
  let root: string;
  let dir: string;
  let log: string;
  let rt: LogRuntime;
  let clock: FakeClock;
  const manager = (maxFiles = 3) => new ContainerLogManager({
    runtime: rt, logRoot: root, policy: { maxSizeBytes: 100, maxFiles }, clock, log: pino({ level: 'silent' }),
  });
  const names = async () => (await readdir(dir)).sort();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tk-logmgr-'));
    dir = join(root, 'ns_pod_uid', 'c');
    await mkdir(dir, { recursive: true });
    log = join(dir, '0.log');
    rt = new LogRuntime(new Map([['c1', log]]));
    clock = new FakeClock(new Date(2026, 0, 1, 10, 0, 0));
  });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('leaves a file under maxSize alone', async () => {
    await writeFile(log, 'x'.repeat(99));
    await manager().rotateLogs();
    expect(await names()).toEqual(['0.log']);
    expect(rt.reopened).toEqual([]);
  });

  it('rotates at maxSize, compresses older rotations and keeps at most maxFiles files', async () => {
    const m = manager(3);
    for (let i = 0; i < 4; i++) {
      await writeFile(log, `round ${i} `.padEnd(120, '.'), { flag: 'a' });
      await m.rotateLogs();
      clock.advance(1000);
    }
    // live + the newest rotation (uncompressed) + maxFiles-2 = 1 compressed
    expect(await names()).toEqual(['0.log', '0.log.20260101-100002.gz', '0.log.20260101-100003']);
    expect(await readFile(log, 'utf8')).toBe('');
    expect(gunzipSync(await readFile(join(dir, '0.log.20260101-100002.gz'))).toString()).toMatch(/^round 2 \.+$/);
    expect(await readFile(join(dir, '0.log.20260101-100003'), 'utf8')).toMatch(/^round 3 /);
    expect(rt.reopened).toEqual(['c1', 'c1', 'c1', 'c1']);
  });

  it('renames the file back when the runtime cannot reopen it', async () => {
    await writeFile(log, 'y'.repeat(150));
    rt.failReopen = true;
    await manager().rotateLogs();
    expect(await names()).toEqual(['0.log']);
    expect((await readFile(log, 'utf8')).length).toBe(150);
  });

  it('asks the runtime to reopen a missing live file', async () => {
    await manager().rotateLogs();
    expect(rt.reopened).toEqual(['c1']);
    expect(await names()).toEqual(['0.log']);
  });

  it('touches no path outside the log root and no symlink', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'tk-logmgr-out-'));
    try {
      await writeFile(join(outside, 'x.log'), 'z'.repeat(500));
      rt.paths.set('c2', join(outside, 'x.log'));
      rt.paths.set('c3', join(root, '..', 'escape.log'));
      await symlink(join(outside, 'x.log'), log);
      await manager().rotateLogs();
      expect(await readdir(outside)).toEqual(['x.log']);
      expect(await names()).toEqual(['0.log']);
      expect(rt.reopened).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('clean removes the live file and every rotated one', async () => {
    await writeFile(log, 'a');
    await writeFile(`${log}.20260101-000000.gz`, 'b');
    await writeFile(join(dir, '1.log'), 'other attempt');
    await manager().clean('c1');
    expect(await names()).toEqual(['1.log']);
  });
});
