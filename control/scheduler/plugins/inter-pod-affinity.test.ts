import { describe, expect, it } from 'vitest';
import type { Affinity, Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { Snapshot } from '../snapshot.js';
import { cycleState, makeNode, makePod } from '../testing/fixtures.js';
import type { NodeScore } from '../types.js';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, interPodAffinityPlugin } from './inter-pod-affinity.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const term = (app: string, topologyKey = HOST): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey });
const anti = (...t: PodAffinityTerm[]): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: t } });
const aff = (...t: PodAffinityTerm[]): Affinity => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: t } });

/** Nodes a, b (zone z1) and c (zone z2). */
function cluster(pods: Pod[]): Snapshot {
  const s = new Snapshot();
  s.setNode(makeNode('a', { labels: { [ZONE]: 'z1' } }));
  s.setNode(makeNode('b', { labels: { [ZONE]: 'z1' } }));
  s.setNode(makeNode('c', { labels: { [ZONE]: 'z2' } }));
  for (const p of pods) s.addPod(p);
  return s;
}

function feasible(s: Snapshot, pod: Pod): Record<string, string | undefined> {
  const plugin = interPodAffinityPlugin(s);
  const state = cycleState(pod);
  expect(plugin.preFilter(state, pod)).toBeUndefined();
  const out: Record<string, string | undefined> = {};
  for (const n of s.nodeInfos()) out[n.name] = plugin.filter(state, pod, n)?.reasons[0];
  return out;
}

describe('InterPodAffinity filter', () => {
  it.each<[string, Pod[], Pod, Record<string, string | undefined>]>([
    ['no terms anywhere', [makePod('x', { labels: { app: 'web' }, nodeName: 'a' })], makePod('p'), { a: undefined, b: undefined, c: undefined }],
    ['required anti-affinity by hostname', [makePod('w1', { labels: { app: 'web' }, nodeName: 'a' })],
      makePod('w2', { labels: { app: 'web' }, affinity: anti(term('web')) }),
      { a: ERR_REASON_ANTI_AFFINITY, b: undefined, c: undefined }],
    ['required anti-affinity by zone', [makePod('w1', { labels: { app: 'web' }, nodeName: 'a' })],
      makePod('w2', { labels: { app: 'web' }, affinity: anti(term('web', ZONE)) }),
      { a: ERR_REASON_ANTI_AFFINITY, b: ERR_REASON_ANTI_AFFINITY, c: undefined }],
    ['anti-affinity only within the namespace', [makePod('w1', { labels: { app: 'web' }, nodeName: 'a', namespace: 'other' })],
      makePod('w2', { labels: { app: 'web' }, affinity: anti(term('web')) }),
      { a: undefined, b: undefined, c: undefined }],
    ["existing pod's anti-affinity", [makePod('db', { labels: { app: 'db' }, nodeName: 'b', affinity: anti(term('web')) })],
      makePod('w', { labels: { app: 'web' } }),
      { a: undefined, b: ERR_REASON_EXISTING_ANTI_AFFINITY, c: undefined }],
    ['required affinity by zone', [makePod('db', { labels: { app: 'db' }, nodeName: 'c' })],
      makePod('w', { affinity: aff(term('db', ZONE)) }),
      { a: ERR_REASON_AFFINITY, b: ERR_REASON_AFFINITY, c: undefined }],
    ['required affinity with no match anywhere', [],
      makePod('w', { affinity: aff(term('db')) }),
      { a: ERR_REASON_AFFINITY, b: ERR_REASON_AFFINITY, c: ERR_REASON_AFFINITY }],
    ['the first pod of a self-affine group may go anywhere', [],
      makePod('w', { labels: { app: 'web' }, affinity: aff(term('web')) }),
      { a: undefined, b: undefined, c: undefined }],
  ])('%s', (_n, existing, pod, want) => {
    expect(feasible(cluster(existing), pod)).toEqual(want);
  });

  it('reports affinity as unresolvable and anti-affinity as resolvable', () => {
    const s = cluster([makePod('w1', { labels: { app: 'web' }, nodeName: 'a' })]);
    const plugin = interPodAffinityPlugin(s);
    const pod = makePod('p', { labels: { app: 'web' }, affinity: { ...anti(term('web')), ...aff(term('db')) } });
    const state = cycleState(pod);
    plugin.preFilter(state, pod);
    expect(plugin.filter(state, pod, s.get('b')!)?.code).toBe('UnschedulableAndUnresolvable');
    const onlyAnti = makePod('q', { labels: { app: 'web' }, affinity: anti(term('web')) });
    const st2 = cycleState(onlyAnti);
    plugin.preFilter(st2, onlyAnti);
    expect(plugin.filter(st2, onlyAnti, s.get('a')!)?.code).toBe('Unschedulable');
  });
});

describe('InterPodAffinity score', () => {
  it('prefers domains with preferred pods and avoids anti-preferred ones', () => {
    const s = cluster([makePod('db', { labels: { app: 'db' }, nodeName: 'a' }), makePod('noisy', { labels: { app: 'noisy' }, nodeName: 'c' })]);
    const plugin = interPodAffinityPlugin(s);
    const pod = makePod('p', { affinity: {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', ZONE) }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('noisy') }] },
    } });
    const state = cycleState(pod);
    const nodes = s.nodeInfos();
    plugin.preScore?.(state, pod, nodes);
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
    expect(scores.map((x) => x.score)).toEqual([10, 10, -5]);
    plugin.normalize?.(scores);
    expect(scores.map((x) => x.score)).toEqual([100, 100, 0]);
  });
});
