import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { makeContainerConfig } from './sandbox-config.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
  spec: {
    containers: [],
    volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'data', emptyDir: {} }, { name: 'sec', secret: { secretName: 's' } }],
  },
};
const volumePaths = { cfg: '/v/cfg', data: '/v/data', sec: '/v/sec' };
const mountsOf = (c: Container, subPaths?: Record<number, string>) =>
  makeContainerConfig(pod, c, { attempt: 0, envs: [], volumePaths, nodeMemoryBytes: 2 ** 30, ...(subPaths ? { subPaths } : {}) }).mounts;

describe('container mounts', () => {
  it('mounts the volumes the agent writes read-only whatever the mount says; others as asked', () => {
    const c = { name: 'c', volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: false }, { name: 'sec', mountPath: '/sec' }, { name: 'data', mountPath: '/data' }] };
    expect(mountsOf(c)).toEqual([
      { containerPath: '/cfg', hostPath: '/v/cfg', readonly: true },
      { containerPath: '/sec', hostPath: '/v/sec', readonly: true },
      { containerPath: '/data', hostPath: '/v/data', readonly: false },
    ]);
  });

  it('a subPath mounts the path resolved beforehand, never one joined from the spec', () => {
    const c = { name: 'c', volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'data', mountPath: '/x', subPath: 'x' }] };
    expect(mountsOf(c, { 1: '/v/data/real' })?.[1]).toEqual({ containerPath: '/x', hostPath: '/v/data/real', readonly: false });
    expect(() => mountsOf(c)).toThrow('subPath of volumeMount "data" of container "c" was not resolved');
  });
});
