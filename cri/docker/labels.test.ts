import { describe, expect, it } from 'vitest';
import { fromDockerLabels, toDockerLabels } from './labels.js';

describe('labels', () => {
  it('round-trips CRI labels and annotations, hiding internal keys', () => {
    const d = toDockerLabels({ app: 'a' }, { 'x/y': 'z' }, { 'io.kubernetes.docker.type': 'container', 'io.kubernetes.pod.uid': 'u' });
    expect(fromDockerLabels(d)).toEqual({ labels: { app: 'a', 'io.kubernetes.pod.uid': 'u' }, annotations: { 'x/y': 'z' } });
  });
});
