/**
 * InterPodAffinity. Filter: the pod's required affinity (a matching pod must run in the same
 * topology domain; the first pod of a self-affine group is let through), its required
 * anti-affinity, and existing pods' required anti-affinity against it. Score: preferred terms of
 * both sides (and existing pods' required affinity, weight 1) summed per topology domain, then
 * min-max normalized.
 */
import type { NodeInfo } from '../node-info.js';
import type { AffinityTerm, PodInfo } from '../pod-info.js';
import { termMatches } from '../pod-info.js';
import type { Snapshot } from '../snapshot.js';
import type { CycleState, FilterPlugin, PreFilterPlugin, ScorePlugin } from '../types.js';
import { MAX_SCORE, unschedulable } from '../types.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
const FILTER_KEY = 'InterPodAffinity/filter';
const SCORE_KEY = 'InterPodAffinity/score';
/** Weight of an existing pod's required affinity term in scoring (upstream hardPodAffinityWeight). */
const HARD_POD_AFFINITY_WEIGHT = 1;

type Counts = Map<string, number>;
const pair = (key: string, value: string): string => `${key}\u0000${value}`;

interface FilterState { existingAnti: Counts; affinity: Counts; anti: Counts }

function bump(c: Counts, node: NodeInfo, key: string, d: number): void {
  const v = node.labels[key];
  if (v !== undefined) c.set(pair(key, v), (c.get(pair(key, v)) ?? 0) + d);
}

function matchesAll(terms: readonly AffinityTerm[], p: PodInfo): boolean {
  for (const t of terms) if (!termMatches(t, p)) return false;
  return true;
}

function buildFilterState(snapshot: Snapshot, me: PodInfo): FilterState {
  const s: FilterState = { existingAnti: new Map(), affinity: new Map(), anti: new Map() };
  for (const node of snapshot.nodesWithAffinityPods()) {
    for (const other of node.podsWithRequiredAntiAffinity) {
      for (const t of other.requiredAntiAffinity) if (termMatches(t, me)) bump(s.existingAnti, node, t.topologyKey, 1);
    }
  }
  if (me.requiredAffinity.length === 0 && me.requiredAntiAffinity.length === 0) return s;
  for (const node of snapshot.nodeInfos()) {
    for (const other of node.pods.values()) {
      if (other.key === me.key) continue;
      if (me.requiredAffinity.length > 0 && matchesAll(me.requiredAffinity, other)) {
        for (const t of me.requiredAffinity) bump(s.affinity, node, t.topologyKey, 1);
      }
      for (const t of me.requiredAntiAffinity) if (termMatches(t, other)) bump(s.anti, node, t.topologyKey, 1);
    }
  }
  return s;
}

function satisfiesAffinity(s: FilterState, me: PodInfo, node: NodeInfo): boolean {
  let podsExist = true;
  for (const t of me.requiredAffinity) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  return podsExist || (s.affinity.size === 0 && matchesAll(me.requiredAffinity, me));
}

function satisfiesAntiAffinity(s: FilterState, me: PodInfo, node: NodeInfo): boolean {
  for (const t of me.requiredAntiAffinity) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && (s.anti.get(pair(t.topologyKey, v)) ?? 0) > 0) return false;
  }
  return true;
}

function satisfiesExistingAntiAffinity(s: FilterState, node: NodeInfo): boolean {
  if (s.existingAnti.size === 0) return true;
  for (const [k, v] of Object.entries(node.labels)) if ((s.existingAnti.get(pair(k, v)) ?? 0) > 0) return false;
  return true;
}

/** Topology pair -> summed weight, over every existing pod relevant to `me`. */
function buildScoreState(snapshot: Snapshot, me: PodInfo): Counts {
  const scores: Counts = new Map();
  const mine = me.preferredAffinity.length + me.preferredAntiAffinity.length > 0;
  const nodes = mine ? snapshot.nodeInfos() : snapshot.nodesWithAffinityPods();
  for (const node of nodes) {
    const pods = mine ? node.pods.values() : node.podsWithAffinity.values();
    for (const other of pods) {
      if (other.key === me.key) continue;
      for (const t of me.preferredAffinity) if (termMatches(t, other)) bump(scores, node, t.topologyKey, t.weight);
      for (const t of me.preferredAntiAffinity) if (termMatches(t, other)) bump(scores, node, t.topologyKey, -t.weight);
      for (const t of other.requiredAffinity) if (termMatches(t, me)) bump(scores, node, t.topologyKey, HARD_POD_AFFINITY_WEIGHT);
      for (const t of other.preferredAffinity) if (termMatches(t, me)) bump(scores, node, t.topologyKey, t.weight);
      for (const t of other.preferredAntiAffinity) if (termMatches(t, me)) bump(scores, node, t.topologyKey, -t.weight);
    }
  }
  return scores;
}

export function interPodAffinityPlugin(snapshot: Snapshot): PreFilterPlugin & FilterPlugin & ScorePlugin {
  return {
    name: INTER_POD_AFFINITY,
    events: ['NodeAdd', 'NodeUpdate', 'AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete'],
    preFilter(state: CycleState) {
      const s = buildFilterState(snapshot, state.podInfo);
      state.write(FILTER_KEY, s);
      const me = state.podInfo;
      if (s.existingAnti.size === 0 && me.requiredAffinity.length === 0 && me.requiredAntiAffinity.length === 0) state.skipFilterPlugins.add(INTER_POD_AFFINITY);
      return undefined;
    },
    filter(state, _pod, node) {
      let s = state.read<FilterState>(FILTER_KEY);
      if (!s) { s = buildFilterState(snapshot, state.podInfo); state.write(FILTER_KEY, s); }
      const me = state.podInfo;
      if (me.requiredAffinity.length > 0 && !satisfiesAffinity(s, me, node)) {
        return unschedulable(INTER_POD_AFFINITY, ERR_REASON_AFFINITY, 'UnschedulableAndUnresolvable');
      }
      if (me.requiredAntiAffinity.length > 0 && !satisfiesAntiAffinity(s, me, node)) return unschedulable(INTER_POD_AFFINITY, ERR_REASON_ANTI_AFFINITY);
      if (!satisfiesExistingAntiAffinity(s, node)) return unschedulable(INTER_POD_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY);
      return undefined;
    },
    preScore(state) {
      const s = buildScoreState(snapshot, state.podInfo);
      state.write(SCORE_KEY, s);
      if (s.size === 0) state.skipScorePlugins.add(INTER_POD_AFFINITY);
    },
    score(state, _pod, node) {
      let s = state.read<Counts>(SCORE_KEY);
      if (!s) { s = buildScoreState(snapshot, state.podInfo); state.write(SCORE_KEY, s); }
      if (s.size === 0) return 0;
      let sum = 0;
      for (const [k, v] of s) {
        const sep = k.indexOf('\u0000');
        if (node.labels[k.slice(0, sep)] === k.slice(sep + 1)) sum += v;
      }
      return sum;
    },
    normalize(scores) {
      let min = Infinity;
      let max = -Infinity;
      for (const s of scores) { if (s.score < min) min = s.score; if (s.score > max) max = s.score; }
      const diff = max - min;
      for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_SCORE * (s.score - min)) / diff) : 0;
    },
  };
}
