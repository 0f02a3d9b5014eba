import { describe, expect, it } from 'vitest';
import { ALL_SCOPES, fromDockerLabels, labelFilters, toDockerLabels } from './labels.js';

describe('labels', () => {
  it('round-trips CRI labels and annotations, hiding internal keys', () => {
    const d = toDockerLabels({ app: 'a' }, { 'x/y': 'z' }, { 'io.kubernetes.docker.type': 'container', 'io.kubernetes.pod.uid': 'u' });
    expect(fromDockerLabels(d)).toEqual({ labels: { app: 'a', 'io.kubernetes.pod.uid': 'u' }, annotations: { 'x/y': 'z' } });
  });

  it('filters on the scope unless it is ALL_SCOPES', () => {
    expect(labelFilters('container', 'node-a', { k: 'v' })).toEqual(['io.kubernetes.docker.type=container', 'io.tinykube.runtime-scope=node-a', 'k=v']);
    expect(labelFilters('container', ALL_SCOPES)).toEqual(['io.kubernetes.docker.type=container']);
  });
});
