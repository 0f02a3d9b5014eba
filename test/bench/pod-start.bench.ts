/**
 * Benchmark of pod start on one node (issue 4): a burst of 30 pods created through the API of a
 * one-node `tinykube cluster up` (the real server, and the real agent on Docker inside its node
 * network namespace, network mode node: what every cluster node runs; `up` differs only in running
 * the agent on the host), each timed from its POST to the watch event showing phase Running;
 * printed beside the median of raw `docker run -d` ×2 (pause sandbox, then the app in
 * `--network container:<sandbox>`) measured in the same run with the same burst: all pairs at
 * once, as the agent starts every pod at once (one worker per pod, no limit);
 * `--baseline-concurrency N` caps the pairs in flight instead. The baseline's pause container is on
 * Docker's default bridge (Docker wires veth + IP, as CNI does for the agent). One warm-up pair
 * and one warm-up pod run first, untimed (`--no-warmup` skips them; the warm-up pod stays, so RSS
 * is read with pods + 1 running). Then the VmRSS of the agent and the control plane processes (not
 * Docker's shims, the same for both), and their footprint together, shared pages (the node
 * executable) counted once (footprint.ts). `cluster down` removes everything at the end.
 *
 *   node dist/test/bench/pod-start.bench.js [--pods N] [--baseline-concurrency N] [--no-warmup]
 *
 * Timing never fails the run; a pod that is not Running within 60 s, or not gone after deletion,
 * does (exit 1).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import { BenchCluster } from './bench-cluster.js';
import { breakdown, burst, NS, newPosts, PODS, postToRunning } from './pod-burst.js';
import type { Posts } from './pod-burst.js';
import { APP_IMAGE, removeLabelled, runPair, runPairs } from './docker-pairs.js';
import { PodTracker, SignallingTransport } from './pod-tracker.js';
import { footprint } from './footprint.js';
import { fmtMiB, fmtMs, rssMiB, verdict, exitCodeFor } from './report.js';
import { percentile } from './watch-fanout.js';

/** Targets from issue 4. */
export const TARGETS = { p50VsDocker: 1.5, p99Ms: 1000, rssMB: 150 } as const;

function arg(argv: readonly string[], name: string, dflt: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

/** The raw-Docker figures of the burst: median and p99 per pair, ms. */
interface Baseline { median: number; p99: number }

async function baseline(runId: string, pods: number, concurrency: number, warmup: boolean, log: (s: string) => void, failures: string[]): Promise<Baseline> {
  try {
    if (warmup) log(`docker run -d ×2   one warm-up pair alone: ${fmtMs(await runPair(runId, 'warm'))} ms`);
    const r = await runPairs({ runId, pairs: pods, concurrency });
    failures.push(...r.failures);
    const median = percentile(r.latenciesMs, 50);
    log(`docker run -d ×2   ${r.latenciesMs.length}/${pods} pairs, ${concurrency === pods ? 'all at once' : `${concurrency} at a time`}, burst ${r.seconds.toFixed(2)} s: ` +
      `median ${fmtMs(median)} ms, p99 ${fmtMs(percentile(r.latenciesMs, 99))} ms, max ${fmtMs(Math.max(0, ...r.latenciesMs))} ms`);
    return { median, p99: percentile(r.latenciesMs, 99) };
  } finally {
    const n = await removeLabelled(runId).catch((err: unknown) => { failures.push(`removing baseline containers: ${String(err)}`); return 0; });
    log(`removed ${n} baseline containers (label tk-bench=${runId})`);
  }
}

function report(tracker: PodTracker, names: readonly string[], posts: Posts, docker: Baseline, log: (s: string) => void): void {
  const dockerMedian = docker.median;
  const running = postToRunning(tracker, names, posts);
  breakdown(tracker, names, posts, log);
  const p50 = percentile(running, 50);
  const p99 = percentile(running, 99);
  const ratio = dockerMedian > 0 ? p50 / dockerMedian : NaN;
  log(`POST → Running     ${running.length}/${names.length} pods: p50 ${fmtMs(p50)} ms (${ratio.toFixed(2)}× docker run ×2 median), p99 ${fmtMs(p99)} ms`);
  log(`  target p50 ≤ ${TARGETS.p50VsDocker}× docker median (${fmtMs(TARGETS.p50VsDocker * dockerMedian)} ms): ${verdict(running.length > 0 && ratio <= TARGETS.p50VsDocker)}`);
  log(`  target p99 ≤ ${TARGETS.p99Ms} ms: ${verdict(running.length > 0 && p99 <= TARGETS.p99Ms)} (raw docker run ×2 in the same burst: p99 ${fmtMs(docker.p99)} ms)`);
}

function reportRss(c: BenchCluster, pods: number, log: (s: string) => void): void {
  const a = rssMiB(c.agentPid);
  const cp = rssMiB(c.serverPid);
  const f = footprint([c.agentPid, c.serverPid]);
  const mb = (mib: number) => ((mib * 1024 * 1024) / 1e6).toFixed(0);
  log(`RSS with ${pods} pods running: agent ${fmtMiB(a)}, control plane ${fmtMiB(cp)}, sum of the two VmRSS ${fmtMiB(f?.sumRssMiB)}`);
  log(`  together (shared pages once: the node executable and libraries, ${fmtMiB(f?.fileMiB)} of file pages, are mapped by both): ` +
    `${fmtMiB(f?.combinedMiB)} (${f === undefined ? 'n/a' : mb(f.combinedMiB)} MB)  target ≤ ${TARGETS.rssMB} MB: ${verdict(f !== undefined && Number(mb(f.combinedMiB)) <= TARGETS.rssMB)}`);
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const pods = arg(argv, '--pods', 30);
  const concurrency = arg(argv, '--baseline-concurrency', pods);
  const warmup = !argv.includes('--no-warmup');
  const runId = randomBytes(3).toString('hex');
  const log = (s: string): void => { process.stdout.write(s + '\n'); };
  const failures: string[] = [];
  const t0 = Date.now();
  log(`tinykube pod-start benchmark — ${pods}-pod burst on one node, Docker, ${availableParallelism()} CPUs, node ${process.version}, run ${runId}${warmup ? ', one warm-up pod/pair first' : ''}`);

  const cluster = new BenchCluster(`tkb${runId}`);
  let transport: HttpsTransport | undefined;
  let tracker: PodTracker | undefined;
  /** Every pod created, for the clean-up. */
  const names: string[] = [];
  try {
    await cluster.up();
    log(`one-node cluster ${cluster.name}: control plane pid ${cluster.serverPid}, agent pid ${cluster.agentPid} ready after ${((Date.now() - t0) / 1000).toFixed(1)} s;` +
      ` RSS idle: agent ${fmtMiB(rssMiB(cluster.agentPid))}, control plane ${fmtMiB(rssMiB(cluster.serverPid))}`);

    const docker = await baseline(runId, pods, concurrency, warmup, log, failures);

    transport = new HttpsTransport({ ...cluster.transport, maxSockets: pods + 8 });
    const signalling = new SignallingTransport(transport);
    const client = new RestClient(signalling);
    const list = await client.list(PODS, NS, { labelSelector: `tk-bench=${runId}` });
    tracker = new PodTracker(client, PODS, NS, `tk-bench=${runId}`);
    tracker.start(list.resourceVersion);
    await signalling.opened;

    if (warmup) {
      const warm = `tk-bench-${runId}-warm`;
      const tw = performance.now();
      names.push(...await burst(client, tracker, [warm], runId, APP_IMAGE, newPosts(), failures));
      log(`warm-up pod Running after ${fmtMs(performance.now() - tw)} ms`);
    }
    const burstNames = Array.from({ length: pods }, (_, i) => `tk-bench-${runId}-${i}`);
    const posts = newPosts();
    const created = await burst(client, tracker, burstNames, runId, APP_IMAGE, posts, failures);
    names.push(...created);
    report(tracker, created, posts, docker, log);
    reportRss(cluster, names.length, log);
  } catch (err) {
    failures.push(err instanceof Error ? err.message : String(err));
  } finally {
    // no pod-by-pod deletion: `cluster down` removes the pods' containers with the node (it took ~20 s)
    await tracker?.stop();
    transport?.close();
    await cluster.down().catch((err: unknown) => { failures.push(`cluster down: ${String(err)}`); });
  }
  log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return exitCodeFor(failures, log);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // process.exit: keep-alive sockets of the clients used here must not hold the process open.
  main().then((code) => process.exit(code), (err: unknown) => { console.error(err); process.exit(1); });
}
