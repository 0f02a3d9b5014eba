import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { findToleration, hasUntoleratedTaint, tolerated, toleratesTaint } from './tolerations.js';

const taint: Taint = { key: 'gpu', value: 'yes', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it.each<[string, Toleration, boolean]>([
    ['Equal, same value', { key: 'gpu', operator: 'Equal', value: 'yes' }, true],
    ['operator defaults to Equal', { key: 'gpu', value: 'yes' }, true],
    ['Equal, other value', { key: 'gpu', operator: 'Equal', value: 'no' }, false],
    ['Exists on the key', { key: 'gpu', operator: 'Exists' }, true],
    ['Exists without a key tolerates everything', { operator: 'Exists' }, true],
    ['other key', { key: 'tpu', operator: 'Exists' }, false],
    ['other effect', { key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, false],
    ['unknown operator', { key: 'gpu', operator: 'Like', value: 'yes' }, false],
  ])('%s', (_n, t, want) => {
    expect(toleratesTaint(t, taint)).toBe(want);
  });
});

describe('lists of tolerations', () => {
  it('finds the first match and reports untolerated taints by effect', () => {
    const tols: Toleration[] = [{ key: 'x', operator: 'Exists' }, { key: 'gpu', operator: 'Exists', tolerationSeconds: 5 }];
    expect(findToleration(tols, taint)).toBe(tols[1]);
    expect(tolerated(undefined, taint)).toBe(false);
    const taints: Taint[] = [taint, { key: 'slow', effect: 'PreferNoSchedule' }];
    expect(hasUntoleratedTaint(taints, tols, ['NoSchedule', 'NoExecute'])).toBe(false);
    expect(hasUntoleratedTaint(taints, tols, ['PreferNoSchedule'])).toBe(true);
    expect(hasUntoleratedTaint(taints, [], ['NoExecute'])).toBe(false);
  });
});
