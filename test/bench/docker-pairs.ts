/**
 * The pod-start baseline: what a "pod" costs with the raw docker CLI on this machine right now — a
 * pause container, then the app container in its network namespace (`--network container:<id>`),
 * the two `docker run -d` calls a dockershim-style node makes per pod. Every container carries the
 * label tk-bench=<run id> and a tk-test-<run id>-… name, and removeLabelled() clears them by label.
 * The pause container gets Docker's default network (bridge): Docker's own veth + IP wiring.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PAUSE_IMAGE = 'tinykube/pause:1';
export const APP_IMAGE = 'tinykube/web:1';

export interface PairOptions {
  /** Unique per run: the label value and the name prefix. */
  runId: string;
  pairs: number;
  /** How many pairs may be in flight at once (pairs = all at once). */
  concurrency: number;
}

export interface PairResult {
  /** Per successful pair: first `docker run` call → second one returned, ms. */
  latenciesMs: number[];
  seconds: number;
  failures: string[];
}

const label = (runId: string): string => `tk-bench=${runId}`;

async function dockerRun(args: readonly string[]): Promise<string> {
  const { stdout } = await run('docker', ['run', '-d', ...args], { timeout: 60_000 });
  return stdout.trim();
}

/** One pair; `name` makes the two container names (…-s sandbox, …-a app). */
export async function runPair(runId: string, name: string): Promise<number> {
  const t0 = performance.now();
  const sandbox = await dockerRun(['--label', label(runId), '--name', `tk-test-${runId}-${name}-s`, PAUSE_IMAGE]);
  await dockerRun(['--label', label(runId), '--name', `tk-test-${runId}-${name}-a`, '--network', `container:${sandbox}`, APP_IMAGE]);
  return performance.now() - t0;
}

/** Starts `pairs` pairs with at most `concurrency` in flight; failures are collected, not thrown. */
export async function runPairs(o: PairOptions): Promise<PairResult> {
  const t0 = performance.now();
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < o.pairs) {
      const i = next++;
      try {
        latenciesMs.push(await runPair(o.runId, `p${i}`));
      } catch (err) {
        failures.push(`docker run pair ${i}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.pairs)) }, worker));
  return { latenciesMs, seconds: (performance.now() - t0) / 1000, failures };
}

/** Removes every container carrying this run's label (app containers first, then the rest). */
export async function removeLabelled(runId: string): Promise<number> {
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${label(runId)}`]);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await run('docker', ['rm', '-f', ...ids], { timeout: 120_000 });
  return ids.length;
}
