/**
 * The scheduling framework's vocabulary (kube-scheduler's, trimmed to the extension points we use).
 * Plugins are synchronous and pure over a Snapshot: no I/O. "Does not fit" is a PluginStatus value,
 * never an exception; a throw is a bug.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodInfo } from './pod-info.js';
import type { NodeInfo } from './node-info.js';

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

/** A plugin's verdict (not the API Status). `reasons` are the upstream texts shown in FailedScheduling. */
export interface PluginStatus { code: Exclude<Code, 'Success'>; reasons: string[]; plugin?: string }

/** Cluster changes after which a pod rejected by a plugin may fit (upstream EnqueueExtensions). */
export const CLUSTER_EVENTS = ['NodeAdd', 'NodeUpdate', 'AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'StorageChange'] as const;
export type ClusterEvent = (typeof CLUSTER_EVENTS)[number];

export interface Plugin {
  readonly name: string;
  /** Events that may make a pod this plugin rejected schedulable; absent = every event. */
  readonly events?: readonly ClusterEvent[];
}

export interface PreFilterPlugin extends Plugin {
  /**
   * Compute per-cycle state; a status here rejects the pod on every node. A plugin with nothing to
   * check for this pod adds its name to `state.skipFilterPlugins` (upstream's Skip).
   */
  preFilter(state: CycleState, pod: Pod): PluginStatus | undefined;
}

export interface FilterPlugin extends Plugin {
  /** Return undefined for "fits" (like a nil *Status). */
  filter(state: CycleState, pod: Pod, node: NodeInfo): PluginStatus | undefined;
}

export interface NodeScore { name: string; score: number }

export interface ScorePlugin extends Plugin {
  /**
   * Optional: prepare per-cycle state once, over the feasible nodes. A plugin whose scores would all
   * be equal for this pod adds its name to `state.skipScorePlugins`; it then adds nothing.
   */
  preScore?(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): void;
  /** 0..MAX_SCORE; any range when `normalize` rescales it. */
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  /** Rescale in place to 0..MAX_SCORE. */
  normalize?(scores: NodeScore[]): void;
}

export const MAX_SCORE = 100;

export interface Profile {
  filters: FilterPlugin[];
  scores: { plugin: ScorePlugin; weight: number }[];
  preFilters?: PreFilterPlugin[];
}

export type ScheduleResult =
  | { ok: true; nodeName: string; feasible: number; evaluated: number }
  | {
      ok: false;
      /** nodeName -> why not. */
      diagnosis: Map<string, PluginStatus>;
      numAllNodes: number;
      /** Set when a PreFilter plugin rejected the pod outright. */
      preFilterMsg?: string;
    };

/** Per-cycle scratch space shared by one pod's plugins; `podInfo` is the pod's parsed facts. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Filter plugins a PreFilter found nothing to check for (upstream SkipFilterPlugins). */
  readonly skipFilterPlugins = new Set<string>();
  /** Score plugins a PreScore found nothing to score for (upstream SkipScorePlugins). */
  readonly skipScorePlugins = new Set<string>();
  constructor(readonly podInfo: PodInfo) {}
  read<T>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
  write(key: string, value: unknown): void { this.data.set(key, value); }
}

/** An unschedulable status for a plugin. */
export function unschedulable(plugin: string, reason: string, code: 'Unschedulable' | 'UnschedulableAndUnresolvable' = 'Unschedulable'): PluginStatus {
  return { code, reasons: [reason], plugin };
}
