/**
 * Pods created through the API for the pod-start benchmarks (Docker and containerd): a burst of
 * POSTs whose milestones (bound, first node status, Running, deleted) a PodTracker records from its
 * watch, the per-pod latency figures, and the deletion at the end.
 */
import { performance } from 'node:perf_hooks';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import type { RestClient } from '../../control/client/rest-client.js';
import type { Milestone, PodTracker } from './pod-tracker.js';
import { fmtMs } from './report.js';
import { percentile } from './watch-fanout.js';

export const PODS = findResource('', 'v1', 'pods')!;
export const NS = 'default';
export const RUNNING_TIMEOUT_MS = 60_000;
export const DELETE_TIMEOUT_MS = 60_000;

export const podObject = (name: string, runId: string, image: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, labels: { 'tk-bench': runId } },
  spec: { containers: [{ name: 'web', image }], terminationGracePeriodSeconds: 5 },
});

export const stats = (xs: readonly number[]): string =>
  xs.length === 0 ? 'n/a' : `p50 ${fmtMs(percentile(xs, 50))} ms, p99 ${fmtMs(percentile(xs, 99))} ms, max ${fmtMs(Math.max(...xs))} ms`;

/** When each pod's POST was sent and when its reply came (performance.now()). */
export interface Posts { postAt: Map<string, number>; repliedAt: Map<string, number> }
export const newPosts = (): Posts => ({ postAt: new Map(), repliedAt: new Map() });

/** The burst: returns the names created; milestones land in the tracker. */
export async function burst(client: RestClient, tracker: PodTracker, names: readonly string[], runId: string, image: string, t: Posts, failures: string[]): Promise<string[]> {
  const created: string[] = [];
  await Promise.all(names.map(async (name) => {
    t.postAt.set(name, performance.now());
    try {
      await client.create(PODS, NS, podObject(name, runId, image) as KubeObject);
      t.repliedAt.set(name, performance.now());
      created.push(name);
    } catch (err) {
      failures.push(`create ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }));
  if (!(await tracker.waitAll(created, 'running', RUNNING_TIMEOUT_MS))) {
    const late = created.filter((n) => tracker.at(n, 'running') === undefined);
    failures.push(`${late.length} pods not Running within ${RUNNING_TIMEOUT_MS / 1000} s: ${late.slice(0, 5).join(', ')}${tracker.errors.length ? `; ${tracker.errors.join('; ')}` : ''}`);
  }
  return created;
}

/** Per pod, the time from one mark to a milestone, ms (pods missing either are left out). */
export function between(tracker: PodTracker, names: readonly string[], from: (n: string) => number | undefined, k: Milestone): number[] {
  return names.flatMap((n) => { const a = from(n); const b = tracker.at(n, k); return a !== undefined && b !== undefined ? [b - a] : []; });
}

/** POST → Running of each pod, ms. */
export const postToRunning = (tracker: PodTracker, names: readonly string[], t: Posts): number[] => between(tracker, names, (n) => t.postAt.get(n), 'running');

/** The milestone breakdown of a burst, one line each. */
export function breakdown(tracker: PodTracker, names: readonly string[], { postAt, repliedAt }: Posts, log: (s: string) => void): void {
  const post = (n: string): number | undefined => postAt.get(n);
  log(`  POST → 201 reply      ${stats(names.flatMap((n) => { const a = postAt.get(n); const b = repliedAt.get(n); return a !== undefined && b !== undefined ? [b - a] : []; }))}`);
  log(`  POST → bound          ${stats(between(tracker, names, post, 'bound'))}`);
  log(`  bound → node status   ${stats(between(tracker, names, (n) => tracker.at(n, 'bound'), 'nodeStatus'))}  (first status from the agent, hostIP set)`);
  log(`  node status → Running ${stats(between(tracker, names, (n) => tracker.at(n, 'nodeStatus'), 'running'))}`);
  const first = Math.min(...names.map((n) => postAt.get(n) ?? Infinity));
  const last = Math.max(...names.map((n) => tracker.at(n, 'running') ?? -Infinity));
  log(`  burst: first POST → last Running ${fmtMs(last - first)} ms`);
}

export async function deleteAll(client: RestClient, tracker: PodTracker, names: readonly string[], log: (s: string) => void, failures: string[]): Promise<void> {
  const t0 = performance.now();
  await Promise.all(names.map((n) => client.delete(PODS, NS, n).catch((err: unknown) => { failures.push(`delete ${n}: ${err instanceof Error ? err.message : String(err)}`); })));
  if (await tracker.waitAll(names, 'deleted', DELETE_TIMEOUT_MS)) log(`deleted ${names.length} pods, all gone in ${fmtMs(performance.now() - t0)} ms`);
  else failures.push(`pods still present ${DELETE_TIMEOUT_MS / 1000} s after deletion: ${names.filter((n) => tracker.at(n, 'deleted') === undefined).slice(0, 5).join(', ')}`);
}
