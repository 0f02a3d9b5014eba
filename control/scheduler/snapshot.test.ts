import { describe, expect, it } from 'vitest';
import { buildPodInfo } from './pod-info.js';
import { Snapshot } from './snapshot.js';
import { makeNode, makePod } from './testing/fixtures.js';

describe('Snapshot', () => {
  it('keeps request sums, ports and owners per node incrementally', () => {
    const s = new Snapshot();
    s.setNode(makeNode('a'));
    s.addPod(makePod('p1', { cpu: '500m', memory: '1Gi', nodeName: 'a', hostPorts: [80], ownerUid: 'rs' }));
    s.addPod(makePod('p2', { nodeName: 'a', ownerUid: 'rs' }));
    const a = s.get('a')!;
    expect(a.requested).toEqual({ milliCpu: 500, memory: 1024 ** 3 });
    expect(a.nonZeroRequested).toEqual({ milliCpu: 600, memory: 1024 ** 3 + 200 * 1024 ** 2 });
    expect(a.portInUse({ ip: '0.0.0.0', protocol: 'TCP', port: 80 })).toBe(true);
    expect(s.ownerPodsOn('rs', 'a')).toBe(2);
    // an update replaces, it does not add
    s.addPod(makePod('p1', { cpu: '1', nodeName: 'a', ownerUid: 'rs' }));
    expect(a.requested.milliCpu).toBe(1000);
    expect(a.portInUse({ ip: '0.0.0.0', protocol: 'TCP', port: 80 })).toBe(false);
    s.removePod('default/p1');
    s.removePod('default/p2');
    expect(a.requested).toEqual({ milliCpu: 0, memory: 0 });
    expect(a.pods.size).toBe(0);
    expect(s.ownerPodsOn('rs', 'a')).toBe(0);
  });

  it('assumes a placement until the informer confirms it, and forgets it if the bind fails', () => {
    const s = new Snapshot();
    s.setNode(makeNode('a'));
    const info = buildPodInfo(makePod('p', { cpu: '1' }));
    s.assume(info, 'a');
    expect(s.isAssumed('default/p')).toBe(true);
    expect(s.get('a')!.requested.milliCpu).toBe(1000);
    s.forget('default/p');
    expect(s.get('a')!.requested.milliCpu).toBe(0);
    s.assume(info, 'a');
    s.addPod(makePod('p', { cpu: '1', nodeName: 'a' })); // the informer catches up
    expect(s.isAssumed('default/p')).toBe(false);
    s.forget('default/p'); // no-op once confirmed
    expect(s.get('a')!.requested.milliCpu).toBe(1000);
  });

  it('lists only nodes it has seen, keeping pods of a node that comes later', () => {
    const s = new Snapshot();
    s.addPod(makePod('early', { cpu: '1', nodeName: 'late' }));
    expect(s.numNodes).toBe(0);
    s.setNode(makeNode('late', { images: [{ names: ['nginx:1'], sizeBytes: 1 }] }));
    expect(s.nodeInfos().map((n) => n.name)).toEqual(['late']);
    expect(s.get('late')!.requested.milliCpu).toBe(1000);
    expect(s.nodesWithImage('nginx:1')).toBe(1);
    s.removeNode('late');
    expect(s.numNodes).toBe(0);
    expect(s.nodesWithImage('nginx:1')).toBe(0);
    s.removePod('default/early');
    expect(s.get('late')).toBeUndefined();
  });

  it('tracks nodes with affinity pods', () => {
    const s = new Snapshot();
    s.setNode(makeNode('a'));
    s.setNode(makeNode('b'));
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    s.addPod(makePod('p', { nodeName: 'b', affinity: anti }));
    expect(s.nodesWithAffinityPods().map((n) => n.name)).toEqual(['b']);
    expect(s.get('b')!.podsWithRequiredAntiAffinity.size).toBe(1);
    s.removePod('default/p');
    expect(s.nodesWithAffinityPods()).toEqual([]);
  });
});
