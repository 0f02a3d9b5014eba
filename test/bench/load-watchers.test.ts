import { describe, expect, it } from 'vitest';
import { LoadWatcher, checkAgree, checkFinal, checkSequences } from './load-watchers.js';
import type { SeenEvent } from './load-watchers.js';

const watcher = (seen: Record<string, SeenEvent[]>): LoadWatcher => {
  const w = new LoadWatcher({ host: '127.0.0.1', port: 1, ca: '' }, '/api/v1/namespaces/x/configmaps', '1', 'w');
  for (const [k, v] of Object.entries(seen)) w.seen.set(k, v);
  return w;
};
const ev = (type: string, rv: number, seq?: number): SeenEvent => ({ type, rv, ...(seq !== undefined ? { seq } : {}) });

describe('checkSequences', () => {
  const acked = new Map([['load-a', 2]]);
  it('passes ADDED 0 then MODIFIED 1, 2', () => {
    expect(checkSequences(watcher({ 'load-a': [ev('ADDED', 5, 0), ev('MODIFIED', 6, 1), ev('MODIFIED', 9, 2)], 'kube-root-ca.crt': [ev('ADDED', 3)] }), acked, 'load-')).toEqual([]);
  });
  it('finds a gap, a reorder, a missing tail and a duplicate', () => {
    expect(checkSequences(watcher({ 'load-a': [ev('ADDED', 5, 0), ev('MODIFIED', 9, 2)] }), acked, 'load-')[0]).toContain('first difference at #1: got MODIFIED:2, want MODIFIED:1');
    expect(checkSequences(watcher({ 'load-a': [ev('ADDED', 5, 0), ev('MODIFIED', 6, 2), ev('MODIFIED', 9, 1)] }), acked, 'load-')).toHaveLength(1);
    expect(checkSequences(watcher({ 'load-a': [ev('ADDED', 5, 0), ev('MODIFIED', 6, 1)] }), acked, 'load-')[0]).toContain('got nothing, want MODIFIED:2');
    expect(checkSequences(watcher({ 'load-a': [ev('ADDED', 5, 0), ev('MODIFIED', 6, 1), ev('MODIFIED', 7, 1), ev('MODIFIED', 9, 2)] }), acked, 'load-')).toHaveLength(1);
    expect(checkSequences(watcher({}), acked, 'load-')[0]).toContain('saw 0 events, want 3');
  });
  it('finds events for an object no writer acknowledged', () => {
    expect(checkSequences(watcher({ 'load-a': [ev('ADDED', 5, 0), ev('MODIFIED', 6, 1), ev('MODIFIED', 9, 2)], 'load-b': [ev('ADDED', 10, 0)] }), acked, 'load-'))
      .toEqual(['w: events for load-b, which no writer acknowledged']);
  });
});

describe('checkFinal', () => {
  it('wants the last event of each object at its final resourceVersion', () => {
    const w = watcher({ p1: [ev('ADDED', 3), ev('MODIFIED', 7)], p2: [ev('ADDED', 4)] });
    expect(checkFinal(w, new Map([['p1', 7], ['p2', 4]]))).toEqual([]);
    expect(checkFinal(w, new Map([['p1', 8], ['p2', 4], ['p3', 9]]))).toEqual(['w: p1: last event at 7, the object is at 8', 'w: no event for p3']);
  });
});

describe('checkAgree', () => {
  it('wants watchers of one collection to have seen the same events', () => {
    const a = watcher({ p1: [ev('ADDED', 3), ev('MODIFIED', 7)] });
    const b = watcher({ p1: [ev('ADDED', 3), ev('MODIFIED', 7)] });
    const c = watcher({ p1: [ev('ADDED', 3)] });
    expect(checkAgree([a, b])).toEqual([]);
    expect(checkAgree([a, b, c])).toEqual(['w and w disagree on p1: ADDED@3 vs ADDED@3,MODIFIED@7']);
  });
});
