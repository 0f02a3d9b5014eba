import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { ReplicaOwner } from './replica-kind.js';
import { calculateReplicaStatus, sameStatus } from './replica-status.js';

const NOW = new Date('2026-01-01T00:01:00Z');
const owner = (extra: Partial<NonNullable<ReplicaOwner['spec']>> = {}): ReplicaOwner => ({
  metadata: { name: 'rs', generation: 4 },
  spec: { replicas: 3, template: { metadata: { labels: { app: 'a', tier: 'web' } } }, ...extra },
});
const pod = (labels: Record<string, string>, readySince?: string): Pod => ({
  metadata: { labels },
  status: { conditions: readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] : [] },
});

describe('calculateReplicaStatus', () => {
  it('counts labelled, ready and available pods', () => {
    const pods = [pod({ app: 'a', tier: 'web' }, '2026-01-01T00:00:00Z'), pod({ app: 'a' }, '2026-01-01T00:00:55Z'), pod({ app: 'a', tier: 'web' })];
    expect(calculateReplicaStatus(owner({ minReadySeconds: 30 }), pods, undefined, NOW)).toEqual({
      replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4,
    });
  });

  it('adds ReplicaFailure on a failed create and clears it after a clean sync', () => {
    const failed = calculateReplicaStatus(owner(), [], { reason: 'FailedCreate', message: 'pods "x" is forbidden' }, NOW);
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden', lastTransitionTime: '2026-01-01T00:01:00Z' }]);
    const cleared = calculateReplicaStatus({ ...owner(), status: failed }, [], undefined, NOW);
    expect(cleared.conditions).toBeUndefined();
    expect(sameStatus(failed, cleared)).toBe(false);
    expect(sameStatus({ replicas: 0 }, { replicas: 0, readyReplicas: 0, availableReplicas: 0, fullyLabeledReplicas: 0 })).toBe(true);
  });
});
