import { describe, expect, it } from 'vitest';
import { FakeRunner } from '../lib/exec/fake-runner.js';
import { HostMounter, parseMountInfo } from './mounter.js';

const INFO = [
  '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '90 26 0:50 / /var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m rw,relatime - tmpfs tmpfs rw,size=65536k',
  '91 90 0:51 / /var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m/in\\040side rw - tmpfs tmpfs rw',
  '92 26 0:52 / /var/lib/tk/pods/u10/x rw - tmpfs tmpfs rw',
].join('\n');

describe('HostMounter', () => {
  it('parses mountinfo (escaped spaces, the type after the separator)', () => {
    expect(parseMountInfo(INFO).map((m) => `${m.fsType} ${m.path}`)).toEqual([
      'ext4 /', 'tmpfs /var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m',
      'tmpfs /var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m/in side', 'tmpfs /var/lib/tk/pods/u10/x',
    ]);
  });

  it('mounts a tmpfs in the host\'s mount namespace, sized when asked', async () => {
    const r = new FakeRunner();
    const m = new HostMounter(r, () => Promise.resolve('/proc/42'), (p) => Promise.resolve(p === '/proc/42/mountinfo' ? INFO : ''));
    await m.mountTmpfs('/d/a', 1024);
    await m.mountTmpfs('/d/b');
    expect(r.calls).toEqual([
      'nsenter --mount=/proc/42/ns/mnt -- mount -t tmpfs -o size=1024 tmpfs /d/a',
      'nsenter --mount=/proc/42/ns/mnt -- mount -t tmpfs tmpfs /d/b',
    ]);
    expect(await m.mountAt('/var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m')).toEqual({ path: '/var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m', fsType: 'tmpfs' });
    expect(await m.mountAt('/var/lib/tk/pods/u1')).toBeUndefined();
  });

  it('runs mount itself when the agent shares the host\'s namespace', async () => {
    const r = new FakeRunner();
    await new HostMounter(r, () => Promise.resolve(undefined)).mountTmpfs('/d/a');
    expect(r.calls).toEqual(['mount -t tmpfs tmpfs /d/a']);
  });

  it('unmounts everything under a pod directory, deepest first, and nothing of a pod whose uid only starts alike', async () => {
    const r = new FakeRunner();
    await new HostMounter(r, () => Promise.resolve('/proc/42'), (p) => Promise.resolve(p === '/proc/42/mountinfo' ? INFO : '')).unmountUnder('/var/lib/tk/pods/u1');
    expect(r.calls).toEqual([
      'nsenter --mount=/proc/42/ns/mnt -- umount /var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m/in side',
      'nsenter --mount=/proc/42/ns/mnt -- umount /var/lib/tk/pods/u1/volumes/kubernetes.io~empty-dir/m',
    ]);
  });
});
