import { describe, expect, it } from 'vitest';
import { FakeRunner, fail } from '../../lib/exec/fake-runner.js';
import type { PodSandbox } from '../../cri/types.js';
import { containerdCommandLine, endpointOf, nodeContainerdPlan } from './cluster-containerd.js';
import { mountPointsUnder, removeAllPods, resultsOf } from './cluster-containerd-host.js';
import type { ContainerdHost } from './cluster-containerd-teardown.js';
import { teardownContainerd } from './cluster-containerd-teardown.js';
import { planCluster } from './cluster-plan.js';
import { newState } from './cluster-state.js';
import { isEmpty, teardownCluster } from './cluster-teardown.js';

const plan = planCluster({ name: 'c', index: 2, nodes: 2, dataDir: '/d' });
const n1 = plan.nodes[0]!;
const c1 = nodeContainerdPlan(plan, n1);

describe('a containerd node', () => {
  it('has its own socket and state under /run, root and config under the node data dir', () => {
    expect(c1).toEqual({
      address: '/run/tinykube/clusters/c/c-n1/containerd.sock', state: '/run/tinykube/clusters/c/c-n1/state', runDir: '/run/tinykube/clusters/c/c-n1',
      root: '/d/nodes/c-n1/containerd/root', configDir: '/d/nodes/c-n1/containerd/config', network: 'tk-c-n1',
    });
    expect(endpointOf(c1)).toBe('containerd:///run/tinykube/clusters/c/c-n1/containerd.sock');
  });

  it('runs in the node netns through nsenter --net (ip netns exec would hide the cgroup mounts)', () => {
    expect(containerdCommandLine(n1, c1)).toEqual(['--net=/run/netns/tk-c-n1', 'containerd', '--config', '/d/nodes/c-n1/containerd/config/config.toml']);
  });
});

describe('host readings', () => {
  it('finds the mount points under dirs, deepest first, escapes undone', () => {
    const info = [
      '36 25 0:32 / /run/netns/tk-c-n1 rw shared:5 - nsfs nsfs rw',
      '40 25 0:33 / /run/tinykube/clusters/c/c-n1/state/io.containerd.grpc.v1.cri/sandboxes/ab/shm rw - tmpfs shm rw',
      '41 25 0:34 / /run/tinykube/clusters/c/c-n1/state/io.containerd.runtime.v2.task/k8s.io/ab/rootfs rw - overlay overlay rw',
      '42 25 0:35 / /run/tinykube/clusters/c/c-n10/state/x rw - tmpfs x rw',
      '43 25 0:36 / /d/nodes/c-n1/containerd/root/with\\040space rw - tmpfs y rw',
    ].join('\n');
    expect(mountPointsUnder(info, [c1.runDir, c1.state, c1.root])).toEqual([
      '/run/tinykube/clusters/c/c-n1/state/io.containerd.runtime.v2.task/k8s.io/ab/rootfs',
      '/run/tinykube/clusters/c/c-n1/state/io.containerd.grpc.v1.cri/sandboxes/ab/shm',
      '/d/nodes/c-n1/containerd/root/with space',
    ]);
  });

  it('picks only its own network\'s CNI result files', () => {
    const id = 'a'.repeat(64);
    expect(resultsOf([`tk-c-n1-${id}-eth0`, `tk-c-n10-${id}-eth0`, `tk-c-n1-n1-${id}-eth0`, `tinykube-${id}-eth0`, 'tk-c-n1-x-eth0'], 'tk-c-n1'))
      .toEqual([`tk-c-n1-${id}-eth0`]);
  });

  it('removes every pod: stop (CNI DEL), then remove', async () => {
    const calls: string[] = [];
    const n = await removeAllPods({
      listPodSandbox: async () => [{ id: 'p1' }, { id: 'p2' }] as PodSandbox[],
      stopPodSandbox: async (id) => { calls.push(`stop ${id}`); },
      removePodSandbox: async (id) => { calls.push(`rm ${id}`); },
    });
    expect(n).toBe(2);
    expect(calls.filter((c) => c.endsWith('p1'))).toEqual(['stop p1', 'rm p1']);
    expect(calls).toHaveLength(4);
  });
});

const ID = 'a'.repeat(64);

/** A host with one leftover runc container, a shim, two mounts and a CNI result, as after a crashed containerd. */
function leftoverHost(log: string[], o: { podsFail?: boolean; stuckMount?: boolean } = {}): ContainerdHost {
  let mounts = [`${c1.state}/x/rootfs`, `${c1.state}/netns/cni-1`];
  const exec = new FakeRunner((line) => {
    log.push(line);
    if (line.startsWith('runc') && line.includes(' list -q')) return 'abcdef0123456789\n';
    if (line.startsWith('umount /')) {
      if (o.stuckMount) throw fail(line, 'target is busy');
      mounts = mounts.filter((m) => !line.endsWith(m));
    }
    return '';
  });
  return {
    exec,
    stopProcess: async (pid, marker) => { log.push(`stop ${pid} ${marker}`); return false; },
    removePods: async (ep) => { log.push(`pods ${ep}`); if (o.podsFail) throw new Error('connection refused'); return 3; },
    pidsWithArg: (arg) => (arg === c1.address ? [77] : []),
    kill: async (pid) => { log.push(`kill ${pid}`); },
    mountsUnder: () => mounts,
    cniResults: (net) => (net === 'cni-loopback' ? [`/var/lib/cni/results/cni-loopback-${ID}-lo`, `/var/lib/cni/results/cni-loopback-${'b'.repeat(64)}-lo`]
      : [`/var/lib/cni/results/${net}-${ID}-eth0`]),
    remove: async (p) => { log.push(`rm ${p}`); },
    removeIfEmpty: async (p) => { log.push(`rmdir ${p}`); },
  };
}

describe('containerd node teardown', () => {
  it('pods through CRI, containerd by pid, then sweeps runc, shims, mounts, CNI results and dirs', async () => {
    const log: string[] = [];
    const r = await teardownContainerd({ ...c1, pid: 42 }, leftoverHost(log, { podsFail: true }));
    expect(r).toMatchObject({ pods: 0, stopped: false });
    expect(log).toEqual([
      `pods ${endpointOf(c1)}`,
      `stop 42 ${c1.configDir}`,
      `runc --root ${c1.state}/runc/k8s.io list -q`,
      `runc --root ${c1.state}/runc/k8s.io delete --force abcdef0123456789`,
      'kill 77',
      `umount ${c1.state}/x/rootfs`,
      `umount ${c1.state}/netns/cni-1`,
      `rm /var/lib/cni/results/tk-c-n1-${ID}-eth0`,
      `rm /var/lib/cni/results/cni-loopback-${ID}-lo`,
      `rm ${c1.runDir}`,
      'rmdir /run/tinykube/clusters/c',
      'rmdir /run/tinykube/clusters',
      `rm ${c1.root}`,
    ]);
  });

  it('a mount that stays is an error, and the dirs are kept', async () => {
    const log: string[] = [];
    await expect(teardownContainerd(c1, leftoverHost(log, { stuckMount: true }))).rejects.toThrow(/still mounted/);
    expect(log).not.toContain(`rm ${c1.runDir}`);
  });

  it('the cluster teardown removes each containerd before the namespaces, and no Docker containers', async () => {
    const s = newState(plan, 'containerd:///run/containerd/containerd.sock');
    s.netns = ['tk-c-lan', 'tk-c-n1', 'tk-c-n2'];
    s.containerd = { 'c-n1': { ...c1, pid: 42 }, 'c-n2': nodeContainerdPlan(plan, plan.nodes[1]!) };
    const log: string[] = [];
    const host = leftoverHost(log);
    const exec = new FakeRunner((line) => { log.push(line); return ''; });
    const errors = await teardownCluster(s, {
      exec, containerd: host, save: async () => undefined, progress: (l) => log.push(l),
      stopProcess: async () => false, removeContainers: async () => { throw new Error('no docker here'); },
    });
    expect(errors).toEqual([]);
    expect(isEmpty(s)).toBe(true);
    expect(log.indexOf(`rm ${c1.runDir}`)).toBeLessThan(log.indexOf('ip netns del tk-c-n1'));
    expect(log).toContain('Removed 3 pod(s) of c-n1');
  });
});
