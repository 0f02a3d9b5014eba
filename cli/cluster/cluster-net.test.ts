import { describe, expect, it } from 'vitest';
import { FakeRunner, fail } from '../../lib/exec/fake-runner.js';
import { addPodRoute, addUnreachableRoutes, createLan, createNode, indexInUse } from './cluster-net.js';
import type { NetSteps } from './cluster-net.js';
import { planCluster } from './cluster-plan.js';
import { newState } from './cluster-state.js';
import { isEmpty, teardownCluster } from './cluster-teardown.js';
import type { TeardownDeps } from './cluster-teardown.js';

/** A host whose commands succeed with no output, except those `fail` picks and the outputs given by line prefix. */
function fakeExec(o: { fail?: (line: string) => boolean; outputs?: Record<string, string> } = {}): FakeRunner {
  return new FakeRunner((line) => {
    if (o.fail?.(line)) throw fail(line, 'fake failure');
    return Object.entries(o.outputs ?? {}).find(([prefix]) => line.startsWith(prefix))?.[1] ?? '';
  });
}

function steps(exec: FakeRunner): NetSteps & { saves: number } {
  const x = { exec, state: newState(planCluster({ name: 'c', index: 2, nodes: 2, dataDir: '/d' }), 'docker:///var/run/docker.sock'), saves: 0, save: async () => { x.saves++; } };
  return x;
}

function deps(exec: FakeRunner, log: string[]): TeardownDeps {
  return {
    exec, save: async () => undefined, progress: (l) => log.push(l),
    stopProcess: async (pid, marker) => { log.push(`stop ${pid} ${marker}`); return true; },
    removeContainers: async (_rt, scope) => { log.push(`rm containers ${scope}`); return 0; },
  };
}

describe('cluster network steps', () => {
  it('builds the LAN netns, the host veth and the nodes with the documented commands', async () => {
    const exec = fakeExec();
    const x = steps(exec);
    await createLan(x);
    await createNode(x, x.state.plan.nodes[0]!);
    await addUnreachableRoutes(x);
    await addPodRoute(x, '10.212.0.0/24', '10.200.2.11');
    await addPodRoute(x, '10.212.0.0/24', '10.200.2.11'); // idempotent
    expect(exec.calls).toEqual([
      'ip netns add tk-c-lan',
      'ip -n tk-c-lan link set dev lo up',
      'ip -n tk-c-lan link add tkbr type bridge',
      'ip -n tk-c-lan link set dev tkbr up',
      'ip link add tkch type veth peer name host0 netns tk-c-lan',
      'ip -n tk-c-lan link set dev host0 master tkbr up',
      'ip addr add 10.200.2.1/24 dev tkch',
      'ip link set dev tkch up',
      'ip netns add tk-c-n1',
      'ip -n tk-c-n1 link set dev lo up',
      'ip -n tk-c-lan link add n1 type veth peer name eth0 netns tk-c-n1',
      'ip -n tk-c-lan link set dev n1 master tkbr up',
      'ip -n tk-c-n1 addr add 10.200.2.11/24 dev eth0',
      'ip -n tk-c-n1 link set dev eth0 up',
      expect.stringMatching(/^ip netns exec tk-c-n1 sysctl -qw net\.ipv4\.ip_forward=1 .*net\.ipv4\.conf\.all\.route_localnet=1 net\.ipv4\.icmp_ratelimit=0 net\.bridge\.bridge-nf-call-iptables=1$/),
      'ip route add unreachable 10.212.0.0/16',
      'ip route add unreachable 10.222.0.0/16',
      'ip route replace 10.212.0.0/24 via 10.200.2.11 dev tkch',
    ]);
    expect(x.state).toMatchObject({
      netns: ['tk-c-lan', 'tk-c-n1'], hostLinks: ['tkch'],
      hostRoutes: [['unreachable', '10.212.0.0/16'], ['unreachable', '10.222.0.0/16'], ['10.212.0.0/24', 'via', '10.200.2.11', 'dev', 'tkch']],
    });
    expect(x.saves).toBe(6);
  });

  it('records nothing that failed to be created (a route that exists already is not ours)', async () => {
    const exec = fakeExec({ fail: (l) => l === 'ip route add unreachable 10.222.0.0/16' });
    const x = steps(exec);
    await expect(addUnreachableRoutes(x)).rejects.toThrow('fake failure');
    expect(x.state.hostRoutes).toEqual([['unreachable', '10.212.0.0/16']]);
  });

  it('teardown removes exactly what the state lists, agents first, and tolerates things already gone', async () => {
    const x = steps(fakeExec());
    await createLan(x);
    for (const n of x.state.plan.nodes) await createNode(x, n);
    await addUnreachableRoutes(x);
    x.state.serverPid = 100;
    x.state.agentPids = { 'c-n1': 101, 'c-n2': 102 };
    const gone = fakeExec();
    const log: string[] = [];
    // "Cannot find device" counts as removed
    const d = deps(gone, log);
    d.exec = { run: (cmd, args) => (args.join(' ') === 'link del tkch' ? Promise.reject(fail('ip link del tkch', 'Cannot find device "tkch"', 1)) : gone.run(cmd, args)) };
    expect(await teardownCluster(x.state, d)).toEqual([]);
    expect(log.slice(0, 5)).toEqual(['stop 101 /d/nodes/c-n1', 'stop 102 /d/nodes/c-n2', expect.stringContaining('c-n1'), expect.stringContaining('c-n2'), 'rm containers c-n1']);
    expect(log).toContain('stop 100 /d');
    expect(gone.calls).toEqual([
      'ip netns del tk-c-n2', 'ip netns del tk-c-n1', 'ip netns del tk-c-lan',
      'ip route del unreachable 10.222.0.0/16', 'ip route del unreachable 10.212.0.0/16',
    ]);
    expect(isEmpty(x.state)).toBe(true);
  });

  it('teardown keeps what it could not remove in the state and reports it', async () => {
    const x = steps(fakeExec());
    await createLan(x);
    const exec = fakeExec({ fail: (l) => l === 'ip netns del tk-c-lan' });
    const errors = await teardownCluster(x.state, deps(exec, []));
    expect(errors).toEqual(['delete netns tk-c-lan: run ip netns del tk-c-lan: fake failure']);
    expect(x.state.netns).toEqual(['tk-c-lan']);
    expect(x.state.hostLinks).toEqual([]);
    expect(isEmpty(x.state)).toBe(false);
  });

  it('sees which indices the host already uses', async () => {
    const exec = fakeExec({ outputs: {
      'ip -4 -o addr': '2: eth0    inet 10.200.3.1/24 brd 10.200.3.255 scope global eth0\n',
      'ip -4 route': 'default via 192.0.2.1 dev eth0\nunreachable 10.215.0.0/16\n10.96.0.0/12 dev x\n',
    } });
    const taken = await indexInUse(exec);
    expect([1, 2, 3, 4, 5, 6].map(taken)).toEqual([false, false, true, false, true, false]);
  });
});
