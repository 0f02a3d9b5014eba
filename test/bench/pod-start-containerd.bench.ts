/**
 * Benchmark of pod start on containerd (issue 12): a one-node `tinykube cluster up --runtime
 * containerd` (the real server; the real agent in its node network namespace on that node's own
 * containerd), against raw CRI calls on the same containerd in the same run (cri-pods.ts:
 * RunPodSandbox + CreateContainer + StartContainer through RemoteRuntime, nothing else):
 *   1. single pods, alternating: a raw CRI pod, then a pod POSTed → Running (watch event), N rounds;
 *      medians and their ratio;
 *   2. a raw CRI burst of P pods at once, then (the raw pods removed) a burst of P POSTs; p50/p99
 *      of each and the ratio of the p50s; beside them the machine's busy CPU seconds per raw pod
 *      (alone and in the burst) and the floor they put under any burst on this many cores;
 *   3. with exactly the P burst pods running: the VmRSS of the agent and the control plane and
 *      their footprint together (footprint.ts), containerd's own beside it (not counted, as Docker's
 *      daemons are not in the Docker benchmark).
 * One warm-up raw pod and one warm-up POSTed pod run first, untimed. Figures are printed with the
 * issue's targets; timing never fails the run, a pod not Running within 60 s does (exit 1).
 *
 *   node dist/test/bench/pod-start-containerd.bench.js [--pods 30] [--singles 5]
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import { BenchCluster } from './bench-cluster.js';
import { CRI_APP_IMAGE, removeCriPods, runCriPod, runCriPods } from './cri-pods.js';
import type { CriPodOptions, CriPods } from './cri-pods.js';
import { footprint } from './footprint.js';
import { breakdown, burst, deleteAll, newPosts, NS, PODS, postToRunning, stats } from './pod-burst.js';
import { PodTracker, SignallingTransport } from './pod-tracker.js';
import { exitCodeFor, fmtMiB, fmtMs, machineBusySeconds, rssMiB, verdict } from './report.js';
import { openCriRuntime } from './cri-runtime.js';
import { percentile } from './watch-fanout.js';

/** Targets from issue 12. */
export const TARGETS = { singleVsCri: 1.3, p50VsCri: 1.3, p99Ms: 2000, rssMB: 150 } as const;

function arg(argv: readonly string[], name: string, dflt: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

const median = (xs: readonly number[]): number => percentile(xs, 50);
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const pods = arg(argv, '--pods', 30);
  const singles = arg(argv, '--singles', 5);
  const runId = randomBytes(3).toString('hex');
  const log = (s: string): void => { process.stdout.write(s + '\n'); };
  const failures: string[] = [];
  const t0 = Date.now();
  log(`tinykube pod-start benchmark on containerd — ${singles} single pods and a ${pods}-pod burst on one node, each beside raw CRI calls, run ${runId}`);

  const cluster = new BenchCluster(`tkc${runId}`, 'containerd');
  const cri: CriPodOptions = { runId, logRoot: join(tmpdir(), `tk-bench-cri-${runId}`) };
  let rt: (CriPods & { close?(): void }) | undefined;
  let transport: HttpsTransport | undefined;
  let tracker: PodTracker | undefined;
  const live = new Set<string>();
  try {
    await cluster.up();
    if (cluster.runtimeEndpoint === undefined) throw new Error('cluster up --runtime containerd recorded no containerd');
    log(`one-node cluster ${cluster.name}: control plane pid ${cluster.serverPid}, agent pid ${cluster.agentPid}, containerd pid ${cluster.containerdPid} (${cluster.runtimeEndpoint}) ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const runtime = openCriRuntime(cluster.runtimeEndpoint);
    rt = runtime;

    transport = new HttpsTransport({ ...cluster.transport, maxSockets: pods + 8 });
    const signalling = new SignallingTransport(transport);
    const client = new RestClient(signalling);
    const list = await client.list(PODS, NS, { labelSelector: `tk-bench=${runId}` });
    tracker = new PodTracker(client, PODS, NS, `tk-bench=${runId}`);
    tracker.start(list.resourceVersion);
    await signalling.opened;
    const post = async (names: string[], t = newPosts()): Promise<string[]> => {
      const created = await burst(client, tracker!, names, runId, CRI_APP_IMAGE, t, failures);
      for (const n of created) live.add(n);
      return created;
    };

    log(`warm-up: raw CRI pod ${fmtMs(await runCriPod(runtime, cri, 'warm'))} ms; POSTed pod Running after ${fmtMs(await timed(() => post([`tk-bench-${runId}-warm`])))} ms`);

    const raw: number[] = [];
    const api: number[] = [];
    let rawCpu = 0; // machine-wide busy CPU-s while the raw single pods start
    for (let i = 0; i < singles; i++) {
      const busy0 = machineBusySeconds();
      raw.push(await runCriPod(runtime, cri, `s${i}`));
      rawCpu += machineBusySeconds() - busy0;
      const t = newPosts();
      const created = await post([`tk-bench-${runId}-s${i}`], t);
      api.push(...postToRunning(tracker, created, t));
    }
    log(`single pod, ${singles} alternating rounds:`);
    log(`  raw CRI RunPodSandbox+CreateContainer+StartContainer  median ${fmtMs(median(raw))} ms  (${raw.map(fmtMs).join(', ')})`);
    log(`  tinykube POST → Running                              median ${fmtMs(median(api))} ms  (${api.map(fmtMs).join(', ')})`);
    log(`  ratio ${ratio(median(api), median(raw))}  target ≤ ${TARGETS.singleVsCri}×: ${verdict(api.length > 0 && median(api) <= TARGETS.singleVsCri * median(raw))}`);

    const burstBusy0 = machineBusySeconds();
    const rawBurst = await runCriPods(runtime, cri, pods, 'b');
    const burstCpu = machineBusySeconds() - burstBusy0;
    failures.push(...rawBurst.failures);
    log(`raw CRI burst: ${rawBurst.latenciesMs.length}/${pods} pods all at once in ${rawBurst.seconds.toFixed(2)} s: ${stats(rawBurst.latenciesMs)}`);
    const cores = availableParallelism();
    log(`  CPU (the whole machine, busy): a raw CRI pod alone ${(rawCpu / singles).toFixed(2)} CPU-s (runc, shim, CNI plugins, containerd); ` +
      `the raw burst ${burstCpu.toFixed(1)} CPU-s = ${(burstCpu / pods).toFixed(2)} per pod, so on ${cores} cores no client can start these ${pods} pods in under ` +
      `${(burstCpu / cores).toFixed(1)} s; a p99 of ${TARGETS.p99Ms / 1000} s needs ≤ ${(TARGETS.p99Ms / 1000 * cores / pods).toFixed(2)} CPU-s per pod`);
    // the baseline's own pods: a teardown containerd or CNI refuses is printed, not a tinykube failure
    // (`cluster down` removes whatever is left with the node's containerd)
    log(await removeCriPods(runtime, cri).then((n) => `removed ${n} raw CRI pods`, (err: unknown) => `raw CRI pods not all removed (containerd/CNI): ${baselineError(err)}`) +
      '; deleting the warm-up and single pods');
    await deleteAll(client, tracker, [...live], log, failures);
    live.clear();

    const posts = newPosts();
    const created = await post(Array.from({ length: pods }, (_, i) => `tk-bench-${runId}-${i}`), posts);
    const running = postToRunning(tracker, created, posts);
    log(`tinykube burst: ${running.length}/${pods} pods POSTed at once: ${stats(running)}`);
    breakdown(tracker, created, posts, log);
    const rawP50 = median(rawBurst.latenciesMs);
    log(`  p50 ${fmtMs(median(running))} ms = ${ratio(median(running), rawP50)} the raw CRI burst p50 (${fmtMs(rawP50)} ms)  target ≤ ${TARGETS.p50VsCri}×: ${verdict(running.length > 0 && median(running) <= TARGETS.p50VsCri * rawP50)}`);
    log(`  p99 ${fmtMs(percentile(running, 99))} ms (raw CRI burst p99 ${fmtMs(percentile(rawBurst.latenciesMs, 99))} ms)  target ≤ ${TARGETS.p99Ms} ms: ${verdict(running.length > 0 && percentile(running, 99) <= TARGETS.p99Ms)}`);

    const f = footprint([cluster.agentPid, cluster.serverPid]);
    const mb = (mib: number) => Math.round((mib * 1024 * 1024) / 1e6);
    log(`RSS with ${created.length} containerd pods running: agent ${fmtMiB(rssMiB(cluster.agentPid))}, control plane ${fmtMiB(rssMiB(cluster.serverPid))}, sum ${fmtMiB(f?.sumRssMiB)}; ` +
      `together (shared pages once) ${fmtMiB(f?.combinedMiB)} (${f === undefined ? 'n/a' : mb(f.combinedMiB)} MB)  target ≤ ${TARGETS.rssMB} MB: ${verdict(f !== undefined && mb(f.combinedMiB) <= TARGETS.rssMB)}`);
    log(`  (not counted: the node's containerd ${fmtMiB(rssMiB(cluster.containerdPid))}, and a shim per pod)`);
  } catch (err) {
    failures.push(err instanceof Error ? err.message : String(err));
  } finally {
    if (rt) await removeCriPods(rt, cri).catch((err: unknown) => { log(`raw CRI pods not all removed (containerd/CNI): ${baselineError(err)}`); });
    rt?.close?.();
    // no pod-by-pod deletion: `cluster down` removes the pods' containers with the node (it took ~20 s)
    await tracker?.stop();
    transport?.close();
    await cluster.down().catch((err: unknown) => { failures.push(`cluster down: ${String(err)}`); });
  }
  log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return exitCodeFor(failures, log);
}

const baselineError = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // process.exit: keep-alive sockets of the clients used here must not hold the process open.
  main().then((code) => process.exit(code), (err: unknown) => { console.error(err); process.exit(1); });
}
