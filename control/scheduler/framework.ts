/**
 * The scheduling cycle for one pod over a Snapshot: PreFilter, Filter over the nodes (stopping
 * once enough feasible nodes are found, upstream's percentageOfNodesToScore, starting where the
 * last cycle stopped), Score with weights and normalize, then the highest total (random tie-break).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from './node-info.js';
import { buildPodInfo } from './pod-info.js';
import type { PodInfo } from './pod-info.js';
import type { Snapshot } from './snapshot.js';
import { CycleState, MAX_SCORE } from './types.js';
import type { FilterPlugin, NodeScore, PluginStatus, Profile, ScheduleResult, ScorePlugin } from './types.js';

/** Below this many nodes every node is evaluated (upstream minFeasibleNodesToFind). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never goes below this (upstream minFeasibleNodesPercentageToFind). */
export const MIN_FEASIBLE_NODES_PERCENTAGE = 5;

/**
 * How many feasible nodes to look for: all below 100 nodes; otherwise `percentage` of them, where
 * 0 means adaptive (50% - numNodes/125, at least 5%), and never fewer than 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  if (pct >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((numAllNodes * pct) / 100));
}

export interface FrameworkOptions {
  profile: Profile;
  snapshot: Snapshot;
  /** 1..100; 0 or absent = upstream's adaptive default. */
  percentageOfNodesToScore?: number;
  /** Random source for tie-breaks (tests pass a fixed one). */
  random?: () => number;
}

export class Framework {
  private nextStartNodeIndex = 0;
  private readonly buffers: Map<number, NodeScore[]>[] = [];
  private readonly random: () => number;

  constructor(private readonly o: FrameworkOptions) { this.random = o.random ?? Math.random; }

  get snapshot(): Snapshot { return this.o.snapshot; }

  /** Run one scheduling cycle. `info` may be passed when the caller already parsed the pod. */
  schedule(pod: Pod, info: PodInfo = buildPodInfo(pod)): ScheduleResult {
    const nodes = this.o.snapshot.nodeInfos();
    const state = new CycleState(info);
    const diagnosis = new Map<string, PluginStatus>();
    if (nodes.length === 0) return { ok: false, diagnosis, numAllNodes: 0 };

    for (const p of this.o.profile.preFilters ?? []) {
      const st = p.preFilter(state, pod);
      if (!st) continue;
      const status = { ...st, plugin: st.plugin ?? p.name };
      for (const n of nodes) diagnosis.set(n.name, status);
      return { ok: false, diagnosis, numAllNodes: nodes.length, preFilterMsg: status.reasons.join(', ') };
    }

    const { feasible, evaluated } = this.findFeasible(state, pod, nodes, diagnosis);
    if (feasible.length === 0) return { ok: false, diagnosis, numAllNodes: nodes.length };
    const only = feasible[0];
    if (feasible.length === 1 && only) return { ok: true, nodeName: only.name, feasible: 1, evaluated };
    return { ok: true, nodeName: this.selectHost(feasible, this.prioritize(state, pod, feasible)), feasible: feasible.length, evaluated };
  }

  private findFeasible(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], diagnosis: Map<string, PluginStatus>): { feasible: NodeInfo[]; evaluated: number } {
    const n = nodes.length;
    const want = numFeasibleNodesToFind(n, this.o.percentageOfNodesToScore);
    const skip = state.skipFilterPlugins;
    const filters = skip.size === 0 ? this.o.profile.filters : this.o.profile.filters.filter((f) => !skip.has(f.name));
    const feasible: NodeInfo[] = [];
    const start = this.nextStartNodeIndex % n;
    let processed = 0;
    for (; processed < n && feasible.length < want; processed++) {
      const node = nodes[(start + processed) % n] as NodeInfo;
      let failed: PluginStatus | undefined;
      for (let i = 0; i < filters.length; i++) {
        const f = filters[i] as FilterPlugin;
        const st = f.filter(state, pod, node);
        if (st) { failed = st.plugin ? st : { ...st, plugin: f.name }; break; }
      }
      if (failed) diagnosis.set(node.name, failed); else feasible.push(node);
    }
    this.nextStartNodeIndex = (start + processed) % n;
    return { feasible, evaluated: processed };
  }

  /** Weighted sum of every score plugin's (normalized) scores, per feasible node. */
  private prioritize(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Float64Array {
    const n = nodes.length;
    const totals = new Float64Array(n);
    const plugins = this.o.profile.scores;
    for (let p = 0; p < plugins.length; p++) {
      const { plugin, weight } = plugins[p] as { plugin: ScorePlugin; weight: number };
      plugin.preScore?.(state, pod, nodes);
      if (state.skipScorePlugins.has(plugin.name)) continue;
      const scores = this.buffer(p, n);
      for (let i = 0; i < n; i++) {
        const node = nodes[i] as NodeInfo;
        const s = scores[i] as NodeScore;
        s.name = node.name;
        s.score = plugin.score(state, pod, node);
      }
      plugin.normalize?.(scores);
      for (let i = 0; i < n; i++) {
        const s = (scores[i] as NodeScore).score;
        if (!(s >= 0 && s <= MAX_SCORE)) throw new Error(`plugin ${plugin.name} scored ${s} for node ${(scores[i] as NodeScore).name}, outside 0..${MAX_SCORE}`);
        totals[i] = (totals[i] as number) + s * weight;
      }
    }
    return totals;
  }

  /** A reused NodeScore array of length n for score plugin #p (scores are per cycle; no garbage). */
  private buffer(p: number, n: number): NodeScore[] {
    let byLength = this.buffers[p];
    if (!byLength || byLength.size > 16) this.buffers[p] = byLength = new Map();
    let b = byLength.get(n);
    if (!b) byLength.set(n, (b = Array.from({ length: n }, () => ({ name: '', score: 0 }))));
    return b;
  }

  /** The highest score; ties broken uniformly at random (reservoir sampling). */
  private selectHost(nodes: readonly NodeInfo[], totals: Float64Array): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      const s = totals[i] as number;
      const b = totals[best] as number;
      if (s > b) { best = i; ties = 1; } else if (s === b && this.random() * ++ties < 1) best = i;
    }
    return (nodes[best] as NodeInfo).name;
  }
}
