import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeRunner } from '../../lib/exec/fake-runner.js';
import { mountsInside, unmountUnder } from './unmount-under.js';

/** One mountinfo line for a mount point (proc(5) layout; spaces escaped as \040). */
const line = (id: number, path: string, type = 'nsfs') => `${id} 1 0:4 net:[4026532${id}] ${path.replace(/ /g, '\\040')} rw shared:1 - ${type} nsfs rw`;

describe('mountsInside', () => {
  it('lists mounts strictly inside the dir, deepest first, each once', () => {
    const info = [line(1, '/'), line(2, '/d'), line(3, '/d/runtime/netns/a'), line(4, '/d/pods/p/volumes/x'), line(5, '/d/runtime/netns/a'),
      line(6, '/dd/x'), line(7, '/d/pods/p/volumes/x/deeper dir')].join('\n');
    expect(mountsInside(info, '/d')).toEqual(['/d/pods/p/volumes/x/deeper dir', '/d/pods/p/volumes/x', '/d/runtime/netns/a']);
    expect(mountsInside(info, '/nowhere')).toEqual([]);
  });
});

describe('unmountUnder', () => {
  let dir: string;
  let mounted: string[];
  let runner: FakeRunner;
  const deps = (runtimeNs?: string) => ({
    runner, runtimeNamespace: async () => runtimeNs,
    readMountInfo: () => mounted.map((p, i) => line(i + 10, p)).join('\n'),
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tk-unmount-'));
    mkdirSync(join(dir, 'runtime', 'netns'), { recursive: true });
    for (const id of ['a', 'b']) writeFileSync(join(dir, 'runtime', 'netns', id), '');
    // the fake umount takes the last argument off the mount table (stacked mounts: one at a time)
    runner = new FakeRunner((l) => { const p = l.split(' ').at(-1)!; const i = mounted.lastIndexOf(p); if (i >= 0) mounted.splice(i, 1); return ''; });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('unmounts each pin, stacked ones too, passing the path as it is', async () => {
    const a = join(dir, 'runtime', 'netns', 'a');
    const b = join(dir, 'runtime', 'netns', 'b');
    mounted = ['/', a, b, a];
    expect((await unmountUnder(dir, deps())).sort()).toEqual([a, b]);
    expect(runner.calls).toEqual([`umount --no-canonicalize ${a}`, `umount --no-canonicalize ${b}`, `umount --no-canonicalize ${a}`]);
    expect(mounted).toEqual(['/']);
  });

  it('goes into the runtime\'s mount namespace when that is another', async () => {
    const a = join(dir, 'runtime', 'netns', 'a');
    mounted = [a];
    await unmountUnder(dir, deps('/proc/77'));
    expect(runner.calls).toEqual([`umount --no-canonicalize ${a}`]);
    mounted = [a];
    runner.calls.length = 0;
    const own = { ...deps('/proc/77'), readMountInfo: (ns: string | undefined) => (ns === undefined ? '' : mounted.map((p, i) => line(i + 10, p)).join('\n')) };
    await unmountUnder(dir, own);
    expect(runner.calls).toEqual([`nsenter --mount=/proc/77/ns/mnt -- umount --no-canonicalize ${a}`]);
  });

  it('detaches a busy mount lazily', async () => {
    const a = join(dir, 'runtime', 'netns', 'a');
    mounted = [a];
    runner.setHandler((l) => { if (!l.includes('--lazy')) return { code: 32, stderr: 'target is busy' }; mounted = []; return ''; });
    expect(await unmountUnder(dir, deps())).toEqual([a]);
    expect(runner.calls).toEqual([`umount --no-canonicalize ${a}`, `umount --no-canonicalize --lazy ${a}`]);
  });

  it('never goes through a symlink it did not make, and then refuses to let the dir be deleted', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'tk-unmount-outside-'));
    try {
      symlinkSync(outside, join(dir, 'pods'));
      const through = join(dir, 'pods', 'x');
      mounted = [through];
      await expect(unmountUnder(dir, deps())).rejects.toThrow(`still mounted inside ${dir}, not deleting it: ${through} (a symlink on its path)`);
      expect(runner.calls).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports a mount that would not go', async () => {
    const a = join(dir, 'runtime', 'netns', 'a');
    mounted = [a];
    runner.setHandler(() => ({ code: 32, stderr: 'permission denied' }));
    await expect(unmountUnder(dir, deps())).rejects.toThrow(`still mounted inside ${dir}, not deleting it: ${a}`);
  });

  it('does nothing for a data dir that is not there', async () => {
    mounted = ['/x'];
    expect(await unmountUnder(join(dir, 'absent'), deps())).toEqual([]);
    expect(runner.calls).toEqual([]);
  });
});
