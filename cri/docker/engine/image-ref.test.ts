import { describe, expect, it } from 'vitest';
import { registryAuthHeader, splitImageRef } from './image-ref.js';

describe('splitImageRef', () => {
  it.each([
    ['nginx', { fromImage: 'nginx', tag: 'latest' }],
    ['nginx:1.27', { fromImage: 'nginx', tag: '1.27' }],
    ['tinykube/web:1', { fromImage: 'tinykube/web', tag: '1' }],
    ['localhost:5000/web', { fromImage: 'localhost:5000/web', tag: 'latest' }],
    ['localhost:5000/web:2', { fromImage: 'localhost:5000/web', tag: '2' }],
    ['web@sha256:abc', { fromImage: 'web', tag: 'sha256:abc' }],
  ])('%s', (ref, want) => expect(splitImageRef(ref)).toEqual(want));
});

describe('registryAuthHeader', () => {
  it('is padded URL-safe base64 of the JSON', () => {
    const h = registryAuthHeader({ username: 'u', password: '>>>???' });
    expect(h).not.toMatch(/[+/]/);
    expect(JSON.parse(Buffer.from(h, 'base64url').toString('utf8'))).toEqual({ username: 'u', password: '>>>???' });
  });
});
