import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { podsToDelete } from './pod-ranking.js';

const pod = (name: string, o: { node?: string; phase?: string; ready?: boolean; created?: string; readySince?: string; restarts?: number } = {}): Pod => ({
  metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
  spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
  status: {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2026-01-01T00:00:10Z' }],
    containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
  },
});
const names = (ps: Pod[]) => ps.map((p) => p.metadata?.name);

describe('podsToDelete', () => {
  it('ranks unscheduled < pending < not ready < doubled-up < recently ready < restarts < newer', () => {
    const pods = [
      pod('old', { node: 'a', created: '2026-01-01T00:00:00Z' }),
      pod('restarty', { node: 'b', restarts: 3 }),
      pod('fresh-ready', { node: 'c', readySince: '2026-01-01T00:05:00Z' }),
      pod('notready', { node: 'd', ready: false }),
      pod('pending', { node: 'e', phase: 'Pending', ready: false }),
      pod('unscheduled', { phase: 'Pending', ready: false }),
    ];
    expect(names(podsToDelete(pods, 6))).toEqual(['unscheduled', 'pending', 'notready', 'fresh-ready', 'restarty', 'old']);
    expect(names(podsToDelete(pods, 2))).toEqual(['unscheduled', 'pending']);
  });

  it('prefers pods sharing a node, then newer pods', () => {
    const pods = [
      pod('alone', { node: 'a', created: '2026-01-01T00:09:00Z' }),
      pod('pair-old', { node: 'b', created: '2026-01-01T00:00:00Z' }),
      pod('pair-new', { node: 'b', created: '2026-01-01T00:05:00Z' }),
    ];
    expect(names(podsToDelete(pods, 2))).toEqual(['pair-new', 'pair-old']);
  });
});
