import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { pickDefaultStorageClass } from './default-storage-class-admission.js';

const sc = (name: string, created: string, annotations: Record<string, string> = {}): KubeObject =>
  ({ metadata: { name, creationTimestamp: created, annotations } }) as KubeObject;
const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };

describe('pickDefaultStorageClass', () => {
  it('takes the newest default, then the first by name, and ignores non-defaults', () => {
    const classes = [sc('old', '2024-01-01T00:00:00Z', DEFAULT), sc('b', '2024-02-01T00:00:00Z', DEFAULT), sc('a', '2024-02-01T00:00:00Z', DEFAULT),
      sc('newest-plain', '2024-03-01T00:00:00Z'), sc('beta', '2023-01-01T00:00:00Z', { 'storageclass.beta.kubernetes.io/is-default-class': 'true' })];
    expect(pickDefaultStorageClass(classes)?.metadata?.name).toBe('a');
    expect(pickDefaultStorageClass([sc('x', '2024-01-01T00:00:00Z', { 'storageclass.kubernetes.io/is-default-class': 'false' })])).toBeUndefined();
    expect(pickDefaultStorageClass([classes[4] as KubeObject])?.metadata?.name).toBe('beta');
  });
});
