import type { Node } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startControllerEnv } from '../../control/controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../control/controller-manager/testing/controller-env.js';
import { silentLogger } from '../../control/util/log.js';
import { FakeRunner, fail } from '../../lib/exec/fake-runner.js';
import { desiredPodRoutes, parseRoutes, planRoutes, removePodRoutes, startPodRoutes } from './routes.js';

const NODES = findResource('', 'v1', 'nodes')!;

function node(name: string, cidr?: string, ip?: string): Node & KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name },
    spec: cidr ? { podCIDR: cidr, podCIDRs: [cidr] } : {},
    status: ip ? { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] } : {},
  };
}

/** A fake kernel main table for `ip … proto 77` commands. */
function fakeKernel(intercept: (line: string) => void = () => undefined): { runner: FakeRunner; routes: Map<string, string> } {
  const routes = new Map<string, string>([['10.99.0.0/24', '10.200.0.99']]); // a stale route of ours
  const runner = new FakeRunner((line) => {
    intercept(line);
    let m: RegExpExecArray | null;
    if (line === 'ip -j -4 route show proto 77') return JSON.stringify([...routes].map(([dst, gateway]) => ({ dst, gateway, dev: 'eth0', flags: [] })));
    if ((m = /^ip route replace (\S+) via (\S+) proto 77$/.exec(line))) { routes.set(m[1]!, m[2]!); return ''; }
    if ((m = /^ip route del (\S+) proto 77$/.exec(line))) {
      if (!routes.delete(m[1]!)) throw fail(line, 'RTNETLINK answers: No such process');
      return '';
    }
    throw fail(line, `unexpected command: ${line}`);
  });
  return { runner, routes };
}

describe('desiredPodRoutes', () => {
  it.each([
    ['routes every other node', [node('a', '10.244.0.0/24', '10.200.0.11'), node('b', '10.244.1.0/24', '10.200.0.12'), node('c', '10.244.2.0/24', '10.200.0.13')],
      [{ cidr: '10.244.1.0/24', via: '10.200.0.12' }, { cidr: '10.244.2.0/24', via: '10.200.0.13' }]],
    ['skips nodes without podCIDR or InternalIP', [node('a', '10.244.0.0/24', '10.200.0.11'), node('b', undefined, '10.200.0.12'), node('c', '10.244.2.0/24')], []],
    ['skips a node sharing our IP, loopback IPs and our own CIDR', [node('a', '10.244.0.0/24', '10.200.0.11'), node('b', '10.244.1.0/24', '10.200.0.11'),
      node('c', '10.244.2.0/24', '127.0.0.1'), node('d', '10.244.0.0/24', '10.200.0.14')], []],
    ['first node by name wins a duplicated CIDR', [node('z', '10.244.5.0/24', '10.200.0.20'), node('y', '10.244.5.0/24', '10.200.0.19')],
      [{ cidr: '10.244.5.0/24', via: '10.200.0.19' }]],
    ['works before our own Node exists', [node('b', '10.244.1.0/24', '10.200.0.12')], [{ cidr: '10.244.1.0/24', via: '10.200.0.12' }]],
    ['ignores IPv6 podCIDRs', [{ ...node('b', undefined, '10.200.0.12'), spec: { podCIDRs: ['fd00::/64', '10.244.1.0/24'] } }],
      [{ cidr: '10.244.1.0/24', via: '10.200.0.12' }]],
    ['skips CIDRs and gateways that are not strict IPv4', [
      node('b', '10.244.1.0/24\nblackhole 0.0.0.0/0', '10.200.0.12'), node('c', '10.244.2.5/24', '10.200.0.13'),
      node('d', '10.244.3.0/24', '10.200.0.14 '), node('e', '10.244.4.0/24', '224.0.0.1'), node('f', '10.244.6.0/24', '010.200.0.16'),
      { ...node('g', '10.244.7.0/24', 'x'), status: { addresses: [{ type: 'InternalIP', address: '0.0.0.0' }, { type: 'InternalIP', address: '10.200.0.17' }] } },
    ], [{ cidr: '10.244.7.0/24', via: '10.200.0.17' }]],
  ])('%s', (_name, nodes, want) => {
    expect(desiredPodRoutes(nodes, 'a')).toEqual(want);
  });

  it('reports each skipped value with its node and field', () => {
    const skipped: unknown[] = [];
    desiredPodRoutes([node('b', '10.244.1.0/24 ', '10.200.0.12'), node('c', '10.244.2.0/24', '10.200.0.13\n')], 'a', (s) => skipped.push(s));
    expect(skipped).toEqual([
      { node: 'b', field: 'spec.podCIDRs[0]', value: '10.244.1.0/24 ' },
      { node: 'c', field: 'status.addresses[1].address', value: '10.200.0.13\n' },
    ]);
  });
});

describe('parseRoutes / planRoutes', () => {
  it('parses ip -j output and plans replace + remove', () => {
    const actual = parseRoutes('[{"dst":"10.244.1.0/24","gateway":"10.200.0.12","dev":"eth0","flags":[]},{"dst":"10.244.3.0/24","gateway":"10.200.0.14"}]');
    expect(actual).toEqual([{ cidr: '10.244.1.0/24', via: '10.200.0.12' }, { cidr: '10.244.3.0/24', via: '10.200.0.14' }]);
    expect(parseRoutes('')).toEqual([]);
    const plan = planRoutes([{ cidr: '10.244.1.0/24', via: '10.200.0.12' }, { cidr: '10.244.2.0/24', via: '10.200.0.13' }, { cidr: '10.244.3.0/24', via: '10.200.0.15' }], actual);
    expect(plan).toEqual({ replace: [{ cidr: '10.244.2.0/24', via: '10.200.0.13' }, { cidr: '10.244.3.0/24', via: '10.200.0.15' }], remove: [] });
    expect(planRoutes([], actual).remove).toEqual(['10.244.1.0/24', '10.244.3.0/24']);
  });
});

describe('startPodRoutes against the in-process API server and a fake kernel', () => {
  let env: ControllerEnv | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('adds, changes and removes routes as Nodes come, change and go; prunes only proto 77', async () => {
    env = await startControllerEnv({ gc: false });
    const { runner, routes } = fakeKernel();
    await env.client.create(NODES, undefined, node('a', '10.244.0.0/24', '10.200.0.11'));
    await env.client.create(NODES, undefined, node('b', '10.244.1.0/24', '10.200.0.12'));
    env.start(startPodRoutes({ client: env.client, nodeName: 'a', log: silentLogger(), exec: runner, debounceMs: 5, resyncMs: 60_000 }));
    await eventually(() => { expect([...routes]).toEqual([['10.244.1.0/24', '10.200.0.12']]); });

    await env.client.create(NODES, undefined, node('c', '10.244.2.0/24', '10.200.0.13'));
    await eventually(() => { expect(routes.get('10.244.2.0/24')).toBe('10.200.0.13'); });

    await env.client.update(NODES, { ...node('c', '10.244.2.0/24', '10.200.0.23') }, { subresource: 'status' });
    await eventually(() => { expect(routes.get('10.244.2.0/24')).toBe('10.200.0.23'); });

    await env.client.delete(NODES, undefined, 'b');
    await eventually(() => { expect([...routes]).toEqual([['10.244.2.0/24', '10.200.0.23']]); });
    expect(runner.calls.every((c) => c.includes('proto 77'))).toBe(true);
  });

  it('keeps going when one route fails and retries it', async () => {
    env = await startControllerEnv({ gc: false });
    let refusals = 2;
    const { runner, routes } = fakeKernel((line) => {
      if (line.startsWith('ip route replace 10.244.1.0/24') && refusals-- > 0) throw fail(line, 'Error: Nexthop has invalid gateway.');
    });
    await env.client.create(NODES, undefined, node('b', '10.244.1.0/24', '10.200.0.12'));
    await env.client.create(NODES, undefined, node('c', '10.244.2.0/24', '10.200.0.13'));
    env.start(startPodRoutes({ client: env.client, nodeName: 'a', log: silentLogger(), exec: runner, debounceMs: 1, resyncMs: 60_000, retryBaseMs: 10 }));
    await eventually(() => { expect(routes.get('10.244.2.0/24')).toBe('10.200.0.13'); });
    await eventually(() => { expect(routes.get('10.244.1.0/24')).toBe('10.200.0.12'); });
    expect(refusals).toBeLessThan(0);
  });

  it('removePodRoutes flushes proto 77 only', async () => {
    const runner = new FakeRunner();
    await removePodRoutes(runner);
    expect(runner.calls).toEqual(['ip -4 route flush proto 77']);
  });
});
