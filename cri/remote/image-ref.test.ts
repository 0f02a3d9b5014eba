import { describe, expect, it } from 'vitest';
import { imageMatches, normalizeImageRef } from './image-ref.js';

describe('normalizeImageRef', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['tinykube/busybox:1', 'docker.io/tinykube/busybox:1'],
    ['docker.io/tinykube/busybox:1', 'docker.io/tinykube/busybox:1'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['127.0.0.1:5000/x/busybox:1', '127.0.0.1:5000/x/busybox:1'],
    ['localhost/x', 'localhost/x:latest'],
    ['registry.k8s.io/pause@sha256:ab', 'registry.k8s.io/pause@sha256:ab'],
  ])('%s -> %s', (ref, want) => expect(normalizeImageRef(ref)).toBe(want));
});

describe('imageMatches', () => {
  const img = { id: 'sha256:0123456789abcdef0123', repoTags: ['docker.io/tinykube/busybox:1'], repoDigests: [], size: 1 };
  it.each([
    ['tinykube/busybox:1', true], ['docker.io/tinykube/busybox:1', true], ['tinykube/busybox:2', false],
    ['sha256:0123456789abcdef0123', true], ['0123456789ab', true], ['0123', false], ['busybox', false],
  ])('%s: %s', (ref, want) => expect(imageMatches(img, ref)).toBe(want));
});
