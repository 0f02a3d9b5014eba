import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { claimVolumePath, ensureLocalPathDir } from './claim-volumes.js';

const provisioned = (name: string, path: string): PersistentVolume => ({
  metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': 'tinykube.io/local-path' } }, spec: { local: { path } },
});

describe('claimVolumePath', () => {
  it('a local-path PV must sit exactly at <root>/<name>', () => {
    expect(claimVolumePath(provisioned('pvc-1', '/r/pvc-1'), '/r')).toEqual({ ok: true, volume: { path: '/r/pvc-1', provisioned: true, local: true } });
    for (const [name, path] of [['pvc-1', '/etc'], ['pvc-1', '/r/../etc/pvc-1'], ['..', '/r/..'], ['a/b', '/r/a/b']] as const) {
      expect(claimVolumePath(provisioned(name, path), '/r').ok, `${name} ${path}`).toBe(false);
    }
  });

  it('hostPath and static local PVs are their path; other sources are refused', () => {
    expect(claimVolumePath({ metadata: { name: 'h' }, spec: { hostPath: { path: '/srv/x', type: 'Directory' } } }, '/r'))
      .toEqual({ ok: true, volume: { path: '/srv/x', provisioned: false, local: false, hostPathType: 'Directory' } });
    expect(claimVolumePath({ metadata: { name: 'l' }, spec: { local: { path: 'rel' } } }, '/r').ok).toBe(false);
    expect(claimVolumePath({ metadata: { name: 'n' }, spec: { nfs: { server: 's', path: '/x' } } }, '/r').ok).toBe(false);
  });
});

describe('ensureLocalPathDir', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'tk-claimvol-')); dirs.push(d); return d; };

  it('makes the root 0700 and the volume 0777 once', async () => {
    const base = tmp();
    const root = join(base, 'storage');
    expect(await ensureLocalPathDir(root, join(root, 'pvc-1'))).toBe(true);
    expect(await ensureLocalPathDir(root, join(root, 'pvc-1'))).toBe(false);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'pvc-1')).mode & 0o777).toBe(0o777);
  });

  it('refuses a volume or a root that is a symlink, and creates nothing through it', async () => {
    const base = tmp();
    const outside = join(base, 'outside');
    mkdirSync(outside);
    const root = join(base, 'storage');
    mkdirSync(root);
    symlinkSync(outside, join(root, 'pvc-1'));
    await expect(ensureLocalPathDir(root, join(root, 'pvc-1'))).rejects.toThrow('is not a directory');
    const linkedRoot = join(base, 'storage2');
    symlinkSync(outside, linkedRoot);
    await expect(ensureLocalPathDir(linkedRoot, join(linkedRoot, 'pvc-2'))).rejects.toThrow('is not a directory');
    expect(existsSync(join(outside, 'pvc-2'))).toBe(false);
  });
});
