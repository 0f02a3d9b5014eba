import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { describe, expect, it } from 'vitest';
import { groupByPorts, planSlices } from './slice-planner.js';

const http = [{ name: 'http', port: 8080, protocol: 'TCP' }];
const ep = (i: number, ready = true): Endpoint => ({ addresses: [`10.0.0.${i}`], conditions: { ready }, targetRef: { kind: 'Pod', uid: `u${i}` } });
const slice = (name: string, endpoints: Endpoint[], ports = http): EndpointSlice => ({ metadata: { name }, addressType: 'IPv4', endpoints, ports });
const desired = (...eps: Endpoint[]) => groupByPorts(eps.map((endpoint) => ({ ports: http, endpoint })));

describe('planSlices', () => {
  it('splits endpoints into slices of at most max', () => {
    const plan = planSlices({ desired: desired(...[1, 2, 3, 4, 5].map((i) => ep(i))), existing: [], labelsOk: () => true, max: 2 });
    expect(plan.create.map((c) => c.endpoints.length)).toEqual([2, 2, 1]);
    expect(plan.update).toEqual([]);
  });

  it('updates in place, fills free room, leaves untouched slices alone, deletes empty ones', () => {
    const existing = [slice('a', [ep(1), ep(2)]), slice('b', [ep(3), ep(4)]), slice('c', [ep(9)])];
    const plan = planSlices({ desired: desired(ep(1, false), ep(3), ep(4), ep(5)), existing, labelsOk: () => true, max: 2 });
    // a: ep1 changed, ep2 gone, ep5 fills the room
    expect(plan.update.map((s) => [s.metadata?.name, s.endpoints.map((e) => e.targetRef?.uid)])).toEqual([['a', ['u1', 'u5']]]);
    expect(plan.delete.map((s) => s.metadata?.name)).toEqual(['c']);
    expect(plan.create).toEqual([]);
  });

  it('keeps one empty placeholder when nothing is selected, and drops slices whose ports are gone', () => {
    const plan = planSlices({ desired: new Map(), existing: [slice('a', [ep(1)]), slice('b', [ep(2)])], labelsOk: () => true });
    expect(plan.update).toEqual([{ ...slice('a', []), ports: [] }]);
    expect(plan.delete.map((s) => s.metadata?.name)).toEqual(['b']);
    const other = groupByPorts([{ ports: [{ name: 'x', port: 1, protocol: 'UDP' }], endpoint: ep(1) }]);
    const p2 = planSlices({ desired: other, existing: [slice('a', [ep(1)])], labelsOk: () => true });
    expect(p2.delete.map((s) => s.metadata?.name)).toEqual(['a']);
    expect(p2.create).toHaveLength(1);
  });
});
