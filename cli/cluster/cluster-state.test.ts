import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCluster } from './cluster-plan.js';
import { ClusterRegistry, loadState, newState, saveState } from './cluster-state.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'tk-cluster-state-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('ClusterRegistry', () => {
  it('reserves a name once and remembers its data dir', async () => {
    const r = new ClusterRegistry(tmp());
    expect(await r.reserveName('a', '/data/a')).toBe(true);
    expect(await r.reserveName('a', '/other')).toBe(false);
    expect(await r.dataDirOf('a')).toBe('/data/a');
    expect(await r.names()).toEqual(['a']);
    await r.release('a', undefined);
    expect(await r.dataDirOf('a')).toBeUndefined();
    await r.release('a', undefined); // idempotent
  });

  it('hands out the lowest free index, skips indices in use on the host, takes over stale ones', async () => {
    const root = tmp();
    const r = new ClusterRegistry(root);
    await r.reserveName('a', '/a');
    await r.reserveName('b', '/b');
    expect(await r.reserveIndex('a', () => false)).toBe(1);
    expect(await r.reserveIndex('b', (k) => k === 2)).toBe(3);
    writeFileSync(join(root, '.index', '2'), 'gone\n'); // a cluster no longer registered
    await r.reserveName('c', '/c');
    expect(await r.reserveIndex('c', () => false)).toBe(2);
    await r.release('b', 1); // index 1 is a's: stays; b's name goes, so b's index 3 is stale now
    await r.reserveName('d', '/d');
    expect(await r.reserveIndex('d', () => false)).toBe(3);
    await r.release('a', 1);
    await r.reserveName('e', '/e');
    expect(await r.reserveIndex('e', () => false)).toBe(1);
  });

  it('runs out after nine clusters', async () => {
    const r = new ClusterRegistry(tmp());
    for (let i = 0; i < 9; i++) { await r.reserveName(`c${i}`, '/x'); await r.reserveIndex(`c${i}`, () => false); }
    await r.reserveName('late', '/x');
    await expect(r.reserveIndex('late', () => false)).rejects.toThrow(/no free cluster slot/);
  });
});

describe('state file', () => {
  it('round-trips', async () => {
    const d = tmp();
    const s = newState(planCluster({ name: 'x', index: 1, nodes: 1, dataDir: d }), 'docker:///var/run/docker.sock', new Date(0));
    s.netns.push('tk-x-lan');
    await saveState(s);
    expect(loadState(d)).toEqual(s);
    expect(loadState(join(d, 'nope'))).toBeUndefined();
  });
});
