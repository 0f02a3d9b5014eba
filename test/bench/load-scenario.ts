/**
 * The load run (issue 13): the real `tinykube server` (SQLite, its scheduler and controllers) with
 * three fake nodes, Deployments adding up to N pods, W watchers and C writers at once. Shared by
 * the benchmark (load.bench.ts, which prints the figures) and the integration test (which asserts
 * the no-loss properties at a small size).
 *
 * Phases: (1) idle baseline: the writers alone on the idle server; (2) load: the watchers open
 * from the current resourceVersion, the Deployments are created and the writers write until every
 * pod is bound and Running; (3) checks: every acknowledged write is readable, every watcher saw
 * every event of its resources in order with no gap (the writers' ConfigMaps: exactly the
 * acknowledged writes; the pods: each pod's final resourceVersion last, and every watcher of a
 * collection the same events as the others), every pod is bound. Functional problems land
 * in `failures`; timing is only measured.
 */
import { performance } from 'node:perf_hooks';
import { TestControlPlane } from '../helpers/control-plane.js';
import { FakeNodes } from '../helpers/fake-nodes.js';
import { HttpsClient } from './https-load.js';
import { LoadWatcher, checkAgree, checkFinal, checkSequences } from './load-watchers.js';
import { LoadWriters } from './load-writers.js';
import { cpuSeconds, peakRssMiB, rssMiB } from './report.js';

export interface LoadOptions {
  pods: number;
  deployments: number;
  watchers: number;
  /** How many of the watchers watch the pods (the others watch the writers' ConfigMaps). */
  podWatchers: number;
  writers: number;
  /** Each writer's pause between writes. */
  writePauseMs: number;
  /** Writes per writer in the idle baseline. */
  baselineWrites: number;
  /** Give up waiting for the pods after this long. */
  podsTimeoutMs: number;
}

export interface LoadFigures {
  podsRunningSeconds: number;
  podsPerNode: Record<string, number>;
  idleWritesMs: number[];
  loadWritesMs: number[];
  watchEvents: number;
  /** The control plane's CPU seconds in the idle baseline and in the load phase. */
  cpCpuIdle?: number;
  cpCpuLoad?: number;
  /** The bench process's (fake kubelets, watchers, writers) CPU seconds in the load phase. */
  benchCpuLoad: number;
  cpRssStartMiB?: number;
  cpRssEndMiB?: number;
  cpPeakMiB?: number;
  benchRssMiB: number;
}

export interface LoadResult { failures: string[]; figures: LoadFigures }

const POD_NS = 'load-pods';
const BASE_NS = 'load-base';
const NODES = ['load-node-a', 'load-node-b', 'load-node-c'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Item { metadata?: { name?: string; resourceVersion?: string }; spec?: { nodeName?: string; replicas?: number }; status?: { phase?: string; readyReplicas?: number }; data?: Record<string, string> }
interface List { metadata?: { resourceVersion?: string }; items?: Item[] }

async function getJson(client: HttpsClient, path: string): Promise<List> {
  const r = await client.send({ method: 'GET', path });
  if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as List;
}

async function post(client: HttpsClient, path: string, obj: unknown): Promise<void> {
  const r = await client.send({ method: 'POST', path, body: JSON.stringify(obj) });
  if (r.status !== 201) throw new Error(`POST ${path}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
}

const deployment = (name: string, replicas: number): unknown => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: {
    replicas, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'tinykube/web:1' }] } },
  },
});

/** The namespaces of the writers' ConfigMaps (each watched by at least one watcher when there are enough). */
const cmNamespaces = (o: LoadOptions): string[] => Array.from({ length: Math.max(1, Math.min(o.writers, o.watchers - o.podWatchers)) }, (_, i) => `load-cm-${i}`);

export async function runLoadScenario(o: LoadOptions, log: (s: string) => void = () => undefined): Promise<LoadResult> {
  const failures: string[] = [];
  const cp = new TestControlPlane();
  const watchers: LoadWatcher[] = [];
  let nodes: FakeNodes | undefined;
  let client: HttpsClient | undefined;
  try {
    await cp.start();
    client = new HttpsClient({ host: '127.0.0.1', port: cp.port, ca: cp.caCert, token: cp.token }, o.writers + 4);
    const cmNs = cmNamespaces(o);
    for (const ns of [POD_NS, BASE_NS, ...cmNs]) await post(client, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    nodes = new FakeNodes(cp);
    const perNode = String(Math.ceil(o.pods / NODES.length) + 20);
    await nodes.add(...NODES.map((name) => ({ name, cpu: '64', memory: '256Gi', pods: perNode })));

    // (1) the idle baseline: the same writers, nothing else going on
    const idle = new LoadWriters(client, { writers: o.writers, objectsPerWriter: 3, pauseMs: o.writePauseMs, namespaceOf: () => BASE_NS, prefix: 'idle' });
    const cpu0 = cpuSeconds(cp.pid);
    idle.start(o.baselineWrites);
    await idle.done();
    const cpu1 = cpuSeconds(cp.pid);
    failures.push(...idle.failures.slice(0, 10));
    const cpRssStartMiB = rssMiB(cp.pid);
    log(`idle baseline: ${idle.latenciesMs.length} writes by ${o.writers} writers; control plane RSS ${cpRssStartMiB?.toFixed(0)} MiB`);

    // (2) the load
    const from = (await getJson(client, '/api/v1/namespaces?limit=1')).metadata?.resourceVersion ?? '0';
    const target = client.target;
    for (let i = 0; i < o.watchers; i++) {
      const w = i < o.podWatchers
        ? new LoadWatcher(target, `/api/v1/namespaces/${POD_NS}/pods`, from, `pod watcher ${i}`)
        : new LoadWatcher(target, `/api/v1/namespaces/${cmNs[(i - o.podWatchers) % cmNs.length]}/configmaps`, from, `configmap watcher ${i}`);
      watchers.push(w);
      w.start();
    }
    const writers = new LoadWriters(client, { writers: o.writers, objectsPerWriter: 5, pauseMs: o.writePauseMs, namespaceOf: (w) => cmNs[w % cmNs.length]!, prefix: 'load' });
    const t0 = performance.now();
    const benchCpu0 = process.cpuUsage();
    writers.start();
    const perDeployment = Math.floor(o.pods / o.deployments);
    for (let d = 0; d < o.deployments; d++) {
      const replicas = d === o.deployments - 1 ? o.pods - perDeployment * (o.deployments - 1) : perDeployment;
      await post(client, `/apis/apps/v1/namespaces/${POD_NS}/deployments`, deployment(`load-${d}`, replicas));
    }
    const pods = await waitForPods(client, o, log);
    const podsRunningSeconds = (performance.now() - t0) / 1000;
    await writers.stop();
    const cpu2 = cpuSeconds(cp.pid);
    const benchCpu = process.cpuUsage(benchCpu0);
    failures.push(...writers.failures.slice(0, 10));
    if (!pods.ok) failures.push(pods.problem);
    log(`load: ${o.pods} pods ${pods.ok ? 'Running' : 'NOT all Running'} after ${podsRunningSeconds.toFixed(1)} s; ${writers.latenciesMs.length} writes by ${o.writers} writers`);

    // (3) the checks
    const api = client;
    failures.push(...await readBack(client, [idle, writers], [BASE_NS, ...cmNs]));
    const watchProblems = async (): Promise<string[]> => {
      const items = (await getJson(api, `/api/v1/namespaces/${POD_NS}/pods`)).items ?? []; // still changing if some pods never got Running
      const finalPods = new Map(items.map((p) => [p.metadata?.name ?? '', Number(p.metadata?.resourceVersion)]));
      return [...watchers.flatMap((w, i) => [
        ...w.failures,
        ...(i < o.podWatchers ? checkFinal(w, finalPods) : checkSequences(w, writers.ackedIn(cmNs[(i - o.podWatchers) % cmNs.length]!), 'load-')),
      ]), ...checkAgree(watchers)];
    };
    let problems = await watchProblems();
    for (const deadline = Date.now() + 30_000; problems.length > 0 && Date.now() < deadline; problems = await watchProblems()) await sleep(250);
    if (problems.length > 0) failures.push(`${problems.length} watch problems`, ...problems.slice(0, 10));
    return {
      failures,
      figures: {
        podsRunningSeconds, podsPerNode: pods.perNode, idleWritesMs: idle.latenciesMs, loadWritesMs: writers.latenciesMs,
        watchEvents: watchers.reduce((n, w) => n + w.events, 0),
        cpCpuIdle: cpu1 !== undefined && cpu0 !== undefined ? cpu1 - cpu0 : undefined,
        cpCpuLoad: cpu2 !== undefined && cpu1 !== undefined ? cpu2 - cpu1 : undefined,
        benchCpuLoad: (benchCpu.user + benchCpu.system) / 1e6,
        cpRssStartMiB, cpRssEndMiB: rssMiB(cp.pid), cpPeakMiB: peakRssMiB(cp.pid), benchRssMiB: process.memoryUsage().rss / 1024 / 1024,
      },
    };
  } finally {
    for (const w of watchers) w.stop();
    nodes?.stop();
    client?.close();
    await cp.destroy();
  }
}

interface PodsState { ok: boolean; problem: string; items: Item[]; perNode: Record<string, number> }

/** Polls until the Deployments report every replica ready and every pod is bound and Running. */
async function waitForPods(client: HttpsClient, o: LoadOptions, log: (s: string) => void): Promise<PodsState> {
  const deadline = performance.now() + o.podsTimeoutMs;
  let lastReport = performance.now();
  for (;;) {
    const deps = await getJson(client, `/apis/apps/v1/namespaces/${POD_NS}/deployments`);
    const ready = (deps.items ?? []).reduce((n, d) => n + (d.status?.readyReplicas ?? 0), 0);
    if (ready >= o.pods || performance.now() > deadline) {
      const items = (await getJson(client, `/api/v1/namespaces/${POD_NS}/pods`)).items ?? [];
      const perNode: Record<string, number> = {};
      for (const p of items) if (p.spec?.nodeName) perNode[p.spec.nodeName] = (perNode[p.spec.nodeName] ?? 0) + 1;
      const unbound = items.filter((p) => !p.spec?.nodeName).length;
      const notRunning = items.filter((p) => p.status?.phase !== 'Running').length;
      const ok = items.length === o.pods && unbound === 0 && notRunning === 0;
      const problem = `pods: ${items.length} of ${o.pods} exist, ${unbound} unbound, ${notRunning} not Running, ${ready} ready by the Deployments' status`;
      if (ok || performance.now() > deadline) return { ok, problem, items, perNode };
    }
    if (performance.now() - lastReport > 10_000) { log(`  … ${ready} of ${o.pods} pods ready`); lastReport = performance.now(); }
    await sleep(500);
  }
}

/** Every acknowledged write is readable: each object holds the last seq its writer was told was stored. */
async function readBack(client: HttpsClient, phases: readonly LoadWriters[], namespaces: readonly string[]): Promise<string[]> {
  const stored = new Map<string, number>();
  for (const ns of namespaces) {
    for (const cm of (await getJson(client, `/api/v1/namespaces/${ns}/configmaps`)).items ?? []) stored.set(`${ns}/${cm.metadata?.name}`, Number(cm.data?.seq));
  }
  const lost: string[] = [];
  for (const p of phases) {
    for (const [key, seq] of p.acked) if (stored.get(key) !== seq) lost.push(`${key}: acknowledged seq ${seq}, stored ${stored.get(key) ?? 'nothing'}`);
  }
  return lost.length === 0 ? [] : [`${lost.length} acknowledged writes not readable`, ...lost.slice(0, 10)];
}
