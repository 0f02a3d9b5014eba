import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { memTotal, prettyName } from './host-info.js';
import { renderNodeStatus } from './node-status.js';
import { staticPodFrom } from './static-pods.js';
import { TEST_HOST } from './testing/agent-harness.js';

describe('node status', () => {
  it('renders capacity, nodeInfo and a NotReady condition with its message', () => {
    const s = renderNodeStatus({
      host: TEST_HOST, nodeIP: '10.0.0.2', maxPods: 110, runtimeVersion: 'docker://20.10.24', now: new Date('2026-01-01T00:00:00Z'),
      images: [{ id: 'sha256:1', repoTags: ['busybox:1'], repoDigests: [], size: 2048 }], health: { ready: false, message: 'network not ready' },
    });
    expect(s.capacity).toEqual({ cpu: '4', memory: '8388608Ki', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', 'ephemeral-storage': '104857600Ki' });
    expect(s.allocatable).toEqual(s.capacity);
    expect(s.conditions?.[3]).toMatchObject({ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'network not ready' });
    expect(s.images).toEqual([{ names: ['busybox:1'], sizeBytes: 2048 }]);
    expect(s.nodeInfo).toMatchObject({ osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-test', containerRuntimeVersion: 'docker://20.10.24' });
  });

  it('parses os-release and meminfo', () => {
    expect(prettyName('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(memTotal('MemTotal:        8141344 kB\nMemFree: 1 kB\n')).toBe(8141344 * 1024);
  });
});

describe('static pods', () => {
  it('names the pod after the node, hashes a stable UID and applies defaults', () => {
    const m: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'etcd' }, spec: { containers: [{ name: 'etcd', image: 'etcd:3' }] } };
    const a = staticPodFrom(m, 'n1', 'file', new Date(0));
    const b = staticPodFrom(m, 'n1', 'file', new Date(1000));
    expect(a.metadata).toMatchObject({ name: 'etcd-n1', namespace: 'default' });
    expect(a.metadata?.uid).toBe(b.metadata?.uid);
    expect(staticPodFrom(m, 'n2', 'file', new Date(0)).metadata?.uid).not.toBe(a.metadata?.uid);
    expect(a.metadata?.annotations?.['kubernetes.io/config.source']).toBe('file');
    expect(a.spec).toMatchObject({ nodeName: 'n1', restartPolicy: 'Always' });
    expect(a.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
  });
});
