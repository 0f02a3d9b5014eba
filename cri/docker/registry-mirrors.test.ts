import { describe, expect, it } from 'vitest';
import type { DockerEngine } from './engine/client.js';
import { pullImage } from './image.js';
import { splitRegistry } from '../images/reference.js';
import { parseHostsToml } from './registry-mirrors.js';

describe('registry mirrors (containerd hosts.toml layout)', () => {
  it('lists the mirrors that may pull, in order', () => {
    expect(parseHostsToml('server = "https://gcr.io"\n\n[host."http://127.0.0.1:5000"]\n  capabilities = ["pull", "resolve"]\n'
      + '[host."https://push-only.example"]\n  capabilities = ["push"]\n[host."https://m2.example:8443/v2"]\n')).toEqual(['127.0.0.1:5000', 'm2.example:8443']);
    expect(parseHostsToml('server = "https://gcr.io"\n')).toEqual([]);
  });

  it('splits a reference as Docker reads it', () => {
    expect(splitRegistry('gcr.io/k8s-staging-cri-tools/test-image-tag:test')).toEqual({ host: 'gcr.io', rest: 'k8s-staging-cri-tools/test-image-tag:test' });
    expect(splitRegistry('busybox:1')).toEqual({ host: 'docker.io', rest: 'library/busybox:1' });
    expect(splitRegistry('tinykube/web:1')).toEqual({ host: 'docker.io', rest: 'tinykube/web:1' });
    expect(splitRegistry('localhost:5000/x:1')).toEqual({ host: 'localhost:5000', rest: 'x:1' });
  });
});

describe('pullImage through mirrors', () => {
  function engine(has: (ref: string) => boolean) {
    const calls: string[] = [];
    const tags = new Set<string>();
    const d = {
      pullImage: async (ref: string) => { calls.push(`pull ${ref}`); if (!has(ref)) throw new Error('not found'); tags.add(ref); },
      tagImage: async (src: string, repo: string, tag: string) => { calls.push(`tag ${src} ${repo}:${tag}`); tags.add(`${repo}:${tag}`); },
      removeImage: async (ref: string) => { calls.push(`untag ${ref}`); tags.delete(ref); },
      inspectImage: async (ref: string) => {
        if (!tags.has(ref)) throw Object.assign(new Error('no such image'), { statusCode: 404 });
        return { Id: 'sha256:abc', RepoTags: [...tags], RepoDigests: [], Size: 1, Config: {} };
      },
    };
    return { d: d as unknown as DockerEngine, calls, tags };
  }
  const ref = 'gcr.io/k8s-staging-cri-tools/test-image-tag:test';

  it('pulls from the first mirror that has it, names it as asked and drops the mirror name', async () => {
    const e = engine((r) => r.startsWith('127.0.0.1:5000/'));
    expect(await pullImage(e.d, { image: ref }, undefined, undefined, { mirrors: async () => ['10.0.0.9:5000', '127.0.0.1:5000'] })).toBe('sha256:abc');
    expect(e.calls).toEqual([`pull 10.0.0.9:5000/k8s-staging-cri-tools/test-image-tag:test`, `pull 127.0.0.1:5000/k8s-staging-cri-tools/test-image-tag:test`,
      `tag 127.0.0.1:5000/k8s-staging-cri-tools/test-image-tag:test gcr.io/k8s-staging-cri-tools/test-image-tag:test`,
      `untag 127.0.0.1:5000/k8s-staging-cri-tools/test-image-tag:test`]);
    expect([...e.tags]).toEqual([ref]);
  });

  it('falls back to the registry itself; a digest reference never goes through a mirror', async () => {
    const e = engine((r) => r === ref || r.includes('@'));
    expect(await pullImage(e.d, { image: ref }, undefined, undefined, { mirrors: async () => ['127.0.0.1:5000'] })).toBe('sha256:abc');
    expect(e.calls.at(-1)).toBe(`pull ${ref}`);
    const digest = 'gcr.io/x/y@sha256:0000';
    const e2 = engine(() => true);
    await pullImage(e2.d, { image: digest }, undefined, undefined, { mirrors: async () => ['127.0.0.1:5000'] }).catch(() => undefined);
    expect(e2.calls).toEqual([`pull ${digest}`]);
  });
});

describe('removeImage by ID', () => {
  it('removes every tag of an image several repositories name (Docker refuses the ID itself)', async () => {
    const { removeImage } = await import('./image.js');
    const tags = new Set(['gcr.io/x/tags:1', 'gcr.io/x/tags:2']);
    const removed: string[] = [];
    const d = {
      inspectImage: async () => ({ Id: 'sha256:abc', RepoTags: [...tags], RepoDigests: [], Size: 1, Config: {} }),
      removeImage: async (ref: string) => { if (ref === 'sha256:abc' && tags.size > 1) throw new Error('conflict'); removed.push(ref); tags.delete(ref); },
    } as unknown as DockerEngine;
    await removeImage(d, { image: 'sha256:abc' });
    expect(removed).toEqual(['gcr.io/x/tags:1', 'gcr.io/x/tags:2']);
    await removeImage(d, { image: 'gcr.io/x/tags:9' });
    expect(removed.at(-1)).toBe('gcr.io/x/tags:9');
  });
});
