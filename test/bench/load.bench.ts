/**
 * The load benchmark (issue 13): pods on three fake nodes through the real scheduler and
 * controllers, with watchers and concurrent writers at once (load-scenario.ts). Prints the API's
 * single-object write latency under that load beside the same writers on the idle server (measured
 * first, in the same run), against the upstream SLO (p99 ≤ 1 s), and the control plane's memory.
 *
 *   node dist/test/bench/load.bench.js [--full] [--pods N] [--watchers N] [--writers N]
 *
 * By default 200 pods, 20 watchers, 10 writers (well under a minute); `--full` (or
 * TINYKUBE_BENCH_FULL=1) is the size: 1,000 pods, 100 watchers, 50 writers. Timing never
 * fails the run; a lost write, a watch gap or an unbound pod does (exit 1).
 */
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runLoadScenario } from './load-scenario.js';
import type { LoadOptions } from './load-scenario.js';
import { exitCodeFor, fmtMiB, fmtMs, fmtRate } from './report.js';
import { percentile } from './watch-fanout.js';

/** The upstream API SLO: mutating single-object calls, p99 ≤ 1 s. */
export const TARGETS = { writeP99Ms: 1000 } as const;

const DEFAULT: LoadOptions = { pods: 200, deployments: 4, watchers: 20, podWatchers: 5, writers: 10, writePauseMs: 100, baselineWrites: 20, podsTimeoutMs: 120_000 };
const FULL: LoadOptions = { pods: 1000, deployments: 10, watchers: 100, podWatchers: 25, writers: 50, writePauseMs: 100, baselineWrites: 20, podsTimeoutMs: 600_000 };

function num(argv: readonly string[], name: string): number | undefined {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

export function optionsFrom(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadOptions {
  const base = argv.includes('--full') || env.TINYKUBE_BENCH_FULL === '1' ? FULL : DEFAULT;
  const watchers = num(argv, '--watchers') ?? base.watchers;
  return {
    ...base,
    pods: num(argv, '--pods') ?? base.pods,
    watchers,
    podWatchers: Math.min(watchers, Math.ceil(watchers / 4)),
    writers: num(argv, '--writers') ?? base.writers,
  };
}

const latencies = (xs: readonly number[]): string =>
  xs.length === 0 ? 'n/a' : `p50 ${fmtMs(percentile(xs, 50))} ms, p99 ${fmtMs(percentile(xs, 99))} ms, max ${fmtMs(Math.max(...xs))} ms`;

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const o = optionsFrom(argv);
  const log = (s: string): void => { process.stdout.write(s + '\n'); };
  const t0 = Date.now();
  log(`tinykube load benchmark — SQLite store, ${availableParallelism()} CPUs (load average ${loadavg()[0]?.toFixed(1)}), node ${process.version}; ${o.pods} pods in ${o.deployments} Deployments on 3 fake nodes, ` +
    `${o.watchers} watchers (${o.podWatchers} on the pods, the rest on the writers' ConfigMaps), ${o.writers} writers (one write at a time each, ${o.writePauseMs} ms apart)`);
  const { failures, figures: f } = await runLoadScenario(o, log);
  const idleP99 = percentile(f.idleWritesMs, 99);
  const loadP99 = percentile(f.loadWritesMs, 99);
  log(`pods         ${o.pods} bound and Running in ${f.podsRunningSeconds.toFixed(1)} s (${fmtRate(o.pods / f.podsRunningSeconds)} pods/s); per node ${Object.values(f.podsPerNode).join(' / ')}`);
  log(`writes idle  ${latencies(f.idleWritesMs)}  (${f.idleWritesMs.length} writes, the baseline)`);
  log(`writes load  ${latencies(f.loadWritesMs)}  (${f.loadWritesMs.length} writes; p99 ${idleP99 > 0 ? (loadP99 / idleP99).toFixed(1) : 'n/a'}× idle)  ` +
    `target p99 ≤ ${TARGETS.writeP99Ms} ms: ${loadP99 <= TARGETS.writeP99Ms ? 'meets target' : 'misses target'}`);
  const perWrite = (cpu: number | undefined, writes: number): string => cpu === undefined || writes === 0 ? 'n/a' : `${fmtMs((cpu * 1000) / writes)} ms`;
  log(`cpu          control plane ${f.cpCpuIdle?.toFixed(1) ?? 'n/a'} s idle (${perWrite(f.cpCpuIdle, f.idleWritesMs.length)} per write), ` +
    `${f.cpCpuLoad?.toFixed(1) ?? 'n/a'} s under load (${perWrite(f.cpCpuLoad, f.loadWritesMs.length)} per write, pods and watches included); ` +
    `the bench process ${f.benchCpuLoad.toFixed(1)} s under load`);
  log(`watch        ${fmtRate(f.watchEvents)} events delivered to ${o.watchers} watchers, checked for order and gaps`);
  log(`memory       control plane RSS ${fmtMiB(f.cpRssStartMiB)} idle, ${fmtMiB(f.cpRssEndMiB)} at the end, peak ${fmtMiB(f.cpPeakMiB)}; ` +
    `the bench process (3 fake kubelets, watchers, writers) ${fmtMiB(f.benchRssMiB)}`);
  log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine inflates the latencies, not the CPU seconds)`);
  return exitCodeFor(failures, log);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
}
