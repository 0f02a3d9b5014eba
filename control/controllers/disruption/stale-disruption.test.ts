import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { STALE_DISRUPTION_MS, resetDisruptionTarget, staleDisruptionWait } from './stale-disruption.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const pod = (o: { status?: string; reason?: string; since?: number; phase?: string; deleting?: boolean } = {}): Pod => ({
  metadata: { name: 'p', ...(o.deleting ? { deletionTimestamp: at(NOW) } : {}) },
  status: {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: 'True' },
      { type: 'DisruptionTarget', status: o.status ?? 'True', reason: o.reason ?? 'EvictionByEvictionAPI', lastTransitionTime: at(o.since ?? NOW - 30_000) }],
  },
});

describe('stale DisruptionTarget conditions', () => {
  it.each([
    ['a fresh condition waits for the rest of the timeout', pod(), STALE_DISRUPTION_MS - 30_000],
    ['an old one is stale now', pod({ since: NOW - STALE_DISRUPTION_MS - 1 }), 0],
    ['a terminating pod is left alone', pod({ deleting: true }), undefined],
    ['a terminal pod is left alone', pod({ phase: 'Failed', since: 0 }), undefined],
    ['a False condition is left alone', pod({ status: 'False', since: 0 }), undefined],
    ["the kubelet's own condition is never stale", pod({ reason: 'TerminationByKubelet', since: 0 }), undefined],
  ] as const)('%s', (_n, p, want) => {
    expect(staleDisruptionWait(p, NOW)).toBe(want);
  });

  it('resets only DisruptionTarget, to False with a new transition time', () => {
    const out = resetDisruptionTarget(pod().status!.conditions!, NOW);
    expect(out).toEqual([{ type: 'Ready', status: 'True' }, { type: 'DisruptionTarget', status: 'False', lastTransitionTime: at(NOW) }]);
  });
});
