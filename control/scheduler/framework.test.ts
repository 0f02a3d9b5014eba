import { describe, expect, it } from 'vitest';
import { defaultProfile } from './default-profile.js';
import { failureMessage } from './fit-error.js';
import { Framework, numFeasibleNodesToFind } from './framework.js';
import { buildPodInfo } from './pod-info.js';
import { Snapshot } from './snapshot.js';
import { makeNode, makePod } from './testing/fixtures.js';
import type { FilterPlugin, Profile, ScorePlugin } from './types.js';
import { nodeNamePlugin } from './plugins/node-name.js';

function fw(snapshot: Snapshot, profile: Profile = defaultProfile(snapshot), random = () => 0.5): Framework {
  return new Framework({ profile, snapshot, random });
}

describe('numFeasibleNodesToFind', () => {
  it.each([
    [50, 0, 50], [99, 0, 99], [100, 0, 100],
    [1000, 0, 420],        // adaptive: 50 - 1000/125 = 42%
    [5000, 0, 500],        // 50 - 40 = 10%
    [10_000, 0, 500],      // 50 - 80 < 5 -> 5%
    [1000, 10, 100], [1000, 5, 100], [1000, 100, 1000], [300, 20, 100],
  ])('%i nodes at %i%% -> %i', (n, pct, want) => {
    expect(numFeasibleNodesToFind(n, pct)).toBe(want);
  });
});

describe('Framework', () => {
  it('picks the least loaded node', () => {
    const s = new Snapshot();
    s.setNode(makeNode('busy'));
    s.setNode(makeNode('idle'));
    s.addPod(makePod('x', { cpu: '3', memory: '6Gi', nodeName: 'busy' }));
    const r = fw(s).schedule(makePod('p', { cpu: '500m', memory: '512Mi' }));
    expect(r).toMatchObject({ ok: true, nodeName: 'idle', feasible: 2, evaluated: 2 });
  });

  it('returns the diagnosis of every node when none fits', () => {
    const s = new Snapshot();
    s.setNode(makeNode('small', { cpu: '1' }));
    s.setNode(makeNode('cp1', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    s.setNode(makeNode('cp2', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    const pod = makePod('p', { cpu: '2' });
    const r = fw(s).schedule(pod);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.get('small')).toMatchObject({ plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] });
    expect(failureMessage(pod, r)).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..');
  });

  it('tells resolvable failures apart in the preemption part', () => {
    const s = new Snapshot();
    s.setNode(makeNode('a', { cpu: '2' }));
    s.setNode(makeNode('b', { unschedulable: true }));
    s.addPod(makePod('x', { cpu: '1500m', nodeName: 'a' }));
    const pod = makePod('p', { cpu: '1' });
    const r = fw(s).schedule(pod);
    if (r.ok) throw new Error('expected no fit');
    expect(failureMessage(pod, r)).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. ' +
      'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..');
    const never = makePod('q', { cpu: '1' });
    never.spec = { ...never.spec!, preemptionPolicy: 'Never' };
    expect(failureMessage(never, r)).toMatch(/ preemption: not eligible due to preemptionPolicy=Never\.\.$/);
  });

  it('says so when there are no nodes', () => {
    const pod = makePod('p');
    const r = fw(new Snapshot()).schedule(pod);
    if (r.ok) throw new Error('expected no fit');
    expect(failureMessage(pod, r)).toBe('no nodes available to schedule pods');
  });

  it('stops filtering once enough feasible nodes are found and rotates the start', () => {
    const s = new Snapshot();
    for (let i = 0; i < 1000; i++) s.setNode(makeNode(`n${i}`));
    const seen: string[] = [];
    const spy: FilterPlugin = { name: 'Spy', filter: (_s, _p, n) => { seen.push(n.name); return undefined; } };
    const f = fw(s, { filters: [spy], scores: [] });
    const r1 = f.schedule(makePod('p1'));
    expect(r1).toMatchObject({ ok: true, feasible: 420, evaluated: 420 });
    expect(seen[0]).toBe('n0');
    seen.length = 0;
    f.schedule(makePod('p2'));
    expect(seen[0]).toBe('n420');
  });

  it('weights and normalizes scores, breaking ties at random', () => {
    const s = new Snapshot();
    for (const n of ['a', 'b', 'c']) s.setNode(makeNode(n));
    const prefer = (name: string, node: string): ScorePlugin => ({ name, score: (_s, _p, n) => (n.name === node ? 10 : 0), normalize: (xs) => { for (const x of xs) x.score *= 10; } });
    const profile: Profile = { filters: [nodeNamePlugin], scores: [{ plugin: prefer('A', 'a'), weight: 1 }, { plugin: prefer('B', 'b'), weight: 2 }] };
    expect(fw(s, profile).schedule(makePod('p'))).toMatchObject({ ok: true, nodeName: 'b' });
    const tie: Profile = { filters: [], scores: [{ plugin: prefer('A', 'a'), weight: 1 }, { plugin: prefer('B', 'b'), weight: 1 }] };
    expect(fw(s, tie, () => 0.99).schedule(makePod('p'))).toMatchObject({ nodeName: 'a' });
    expect(fw(s, tie, () => 0.1).schedule(makePod('p'))).toMatchObject({ nodeName: 'b' });
  });

  it('rejects a score outside 0..100 as a bug', () => {
    const s = new Snapshot();
    s.setNode(makeNode('a'));
    s.setNode(makeNode('b'));
    const bad: ScorePlugin = { name: 'Bad', score: () => 101 };
    expect(() => fw(s, { filters: [], scores: [{ plugin: bad, weight: 1 }] }).schedule(makePod('p'))).toThrow(/outside 0..100/);
  });

  it('sees assumed pods at once', () => {
    const s = new Snapshot();
    s.setNode(makeNode('a', { cpu: '1' }));
    s.setNode(makeNode('b', { cpu: '1' }));
    const f = fw(s);
    const placed: string[] = [];
    for (const name of ['p1', 'p2', 'p3']) {
      const r = f.schedule(makePod(name, { cpu: '600m' }));
      if (r.ok) { placed.push(r.nodeName); s.assume(buildPodInfo(makePod(name, { cpu: '600m' })), r.nodeName); }
    }
    expect(placed.sort()).toEqual(['a', 'b']);
  });
});
