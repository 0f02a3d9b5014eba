import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { computeHash, safeEncodeString, templatesEqualIgnoringHash } from './pod-template-hash.js';

const tpl = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });

describe('pod-template-hash', () => {
  it('ignores nulls, empties and the hash label (what rollout undo writes back)', () => {
    const undone = { metadata: { creationTimestamp: null, labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'web', image: 'nginx:1', resources: {} }] } } as unknown as PodTemplateSpec;
    expect(templatesEqualIgnoringHash(undone, tpl('nginx:1'))).toBe(true);
    expect(computeHash(undone)).toBe(computeHash(tpl('nginx:1')));
    expect(templatesEqualIgnoringHash(tpl('nginx:1'), tpl('nginx:2'))).toBe(false);
  });

  it('is stable, safe-encoded and changes with the template and the collision count', () => {
    const h = computeHash(tpl('nginx:1'));
    expect(h).toMatch(/^[bcdfghjkmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(tpl('nginx:1'))).toBe(h);
    expect(computeHash(tpl('nginx:2'))).not.toBe(h);
    expect(computeHash(tpl('nginx:1'), 1)).not.toBe(h);
    expect(safeEncodeString('0123456789')).toBe('6789bcdfgh');
  });
});
