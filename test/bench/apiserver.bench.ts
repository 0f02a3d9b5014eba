/**
 * Benchmark of the API server on SQLite (issue 2): creates/s, GETs/s and watch fan-out latency of
 * the real `tinykube server` process, each set against a bare node:https baseline measured in the
 * same run with the same client, so the figures compare across machines; then the same creates/s
 * and GETs/s by an RBAC-authorized user beside the superuser's (issue 11, rbac-compare.ts).
 *
 *   node dist/test/bench/apiserver.bench.js [--server-cpu-prof <dir>]
 *
 * Timing never fails the run; an unexpected status or a missing watch event does (exit 1).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBaselineServer } from './baseline-server.js';
import { TestControlPlane } from '../helpers/control-plane.js';
import { HttpsClient, runLoad } from './https-load.js';
import type { Call, LoadOptions, LoadResult } from './https-load.js';
import { fmtMiB, fmtMs, fmtRate, rateLine, rssMiB, verdict, exitCodeFor } from './report.js';
import { measureFanout, percentile } from './watch-fanout.js';
import { compareRbac } from './rbac-compare.js';

/** Targets from issue 2. */
export const TARGETS = { createsPerSecond: 1000, getsPerSecond: 5000, watchP99Ms: 50 } as const;

const CONCURRENCY = 32;
const NS = 'default';
const COLLECTION = `/api/v1/namespaces/${NS}/configmaps`;

const configMap = (name: string, data: Record<string, string>): string =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

const createNamed = (name: string, i: number): Call => ({ method: 'POST', path: COLLECTION, body: configMap(name, { key: `value-${i}`, other: 'small' }) });
const createCall = (i: number): Call => createNamed(`bench-${i}`, i);

class Failures {
  readonly all: string[] = [];
  load(what: string, r: LoadResult): void {
    if (r.failures > 0) this.all.push(`${what}: ${r.failures} of ${r.done} requests failed; first: ${r.failureSamples.join(' | ')}`);
  }
}

function bounded(what: string, r: LoadResult, o: Pick<LoadOptions, 'maxRequests' | 'maxSeconds'>): string {
  const stop = r.timedOut ? `, stopped at the ${o.maxSeconds} s bound` : '';
  return `${r.done} ${what} in ${r.seconds.toFixed(2)} s${stop}`;
}

const BASELINE_ROUNDS = 3;

/** Best of a few short rounds: the bare server's capacity with this client on this machine right now. */
async function bestOf(client: HttpsClient, what: string, o: Omit<LoadOptions, 'concurrency'>, failures: Failures): Promise<{ best: number; all: number[] }> {
  const all: number[] = [];
  for (let round = 0; round < BASELINE_ROUNDS; round++) {
    const r = await runLoad(client, { ...o, concurrency: CONCURRENCY });
    failures.load(what, r);
    all.push(r.perSecond);
  }
  return { best: Math.max(...all), all };
}

async function baseline(pkiDir: string, ca: string, log: (s: string) => void, failures: Failures): Promise<{ get: number; post: number }> {
  const server = await startBaselineServer(pkiDir);
  const client = new HttpsClient({ host: '127.0.0.1', port: server.port, ca }, CONCURRENCY);
  try {
    await runLoad(client, { concurrency: CONCURRENCY, maxRequests: 2000, maxSeconds: 3, call: () => ({ method: 'GET', path: '/warmup' }), expectStatus: 200 });
    const get = await bestOf(client, 'baseline GET', { maxRequests: 10_000, maxSeconds: 3, call: (i) => ({ method: 'GET', path: `${COLLECTION}/bench-${i % 5000}` }), expectStatus: 200 }, failures);
    const post = await bestOf(client, 'baseline POST', { maxRequests: 5000, maxSeconds: 3, call: createCall, expectStatus: 200 }, failures);
    const rounds = (all: number[]): string => all.map(fmtRate).join(', ');
    log(`bare https GET  ${fmtRate(get.best).padStart(7)} req/s  (best of ${BASELINE_ROUNDS} rounds of ≤ 10000 requests: ${rounds(get.all)})`);
    log(`bare https POST ${fmtRate(post.best).padStart(7)} req/s  (best of ${BASELINE_ROUNDS} rounds of ≤ 5000 requests: ${rounds(post.all)})`);
    return { get: get.best, post: post.best };
  } finally {
    client.close();
    await server.stop();
  }
}

async function startServer(cpuProfDir: string | undefined): Promise<TestControlPlane> {
  const server = new TestControlPlane({ nodeFlags: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [] });
  try {
    await server.start();
  } catch (err) {
    await server.destroy();
    throw err;
  }
  return server;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const profIdx = argv.indexOf('--server-cpu-prof');
  const cpuProfDir = profIdx >= 0 ? argv[profIdx + 1] : undefined;
  const log = (s: string): void => { process.stdout.write(s + '\n'); };
  const failures = new Failures();
  const t0 = Date.now();
  log(`tinykube API server benchmark — SQLite store, ${availableParallelism()} CPUs, node ${process.version}, concurrency ${CONCURRENCY}, keep-alive`);

  const cp = await startServer(cpuProfDir);
  const pid = cp.pid;
  const client = new HttpsClient({ host: '127.0.0.1', port: cp.port, ca: cp.caCert, token: cp.token }, CONCURRENCY);
  try {
    log(`server pid ${pid}, RSS after start ${fmtMiB(rssMiB(pid))}`);
    const base = await baseline(cp.pkiDir, cp.caCert, log, failures);

    const warm = await runLoad(client, { concurrency: CONCURRENCY, maxRequests: 1000, maxSeconds: 5, call: () => ({ method: 'GET', path: `/api/v1/namespaces/${NS}` }), expectStatus: 200 });
    failures.load('warm-up', warm);

    const createOpts = { maxRequests: 5000, maxSeconds: 15 };
    const creates = await runLoad(client, { ...createOpts, concurrency: CONCURRENCY, call: createCall, expectStatus: 201 });
    failures.load('creates', creates);
    log(rateLine('creates/s', creates.perSecond, base.post, 'bare https POST', TARGETS.createsPerSecond, `  (${bounded('ConfigMaps', creates, createOpts)})`));

    const names = creates.succeeded.map((i) => `bench-${i}`);
    if (names.length === 0) throw new Error('no ConfigMap was created; cannot measure GETs');
    const getOpts = { maxRequests: 20_000, maxSeconds: 15 };
    const gets = await runLoad(client, { ...getOpts, concurrency: CONCURRENCY, call: (i) => ({ method: 'GET', path: `${COLLECTION}/${names[i % names.length]}` }), expectStatus: 200 });
    failures.load('GETs', gets);
    log(rateLine('GETs/s', gets.perSecond, base.get, 'bare https GET', TARGETS.getsPerSecond, `  (${bounded('GETs', gets, getOpts)})`));

    try {
      await compareRbac({
        host: '127.0.0.1', port: cp.port, ca: cp.caCert, pkiDir: cp.pkiDir, admin: client, namespace: NS, concurrency: CONCURRENCY,
        create: (name) => createNamed(name, 0), base, targets: TARGETS, log,
        fail: (what, r) => { if (r) failures.load(what, r); else failures.all.push(what); },
      });
    } catch (err) {
      failures.all.push(err instanceof Error ? err.message : String(err));
    }

    const target = await client.send({ method: 'POST', path: COLLECTION, body: configMap('watch-target', { seq: '-1', sentAt: '0' }) });
    if (target.status !== 201) throw new Error(`create watch-target: HTTP ${target.status} ${target.body.slice(0, 200)}`);
    const rv = (JSON.parse(target.body) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    if (!rv) throw new Error('create watch-target: no resourceVersion in the reply');
    const fan = await measureFanout(client, { watchers: 100, updates: 200, spacingMs: 20, namespace: NS, name: 'watch-target', resourceVersion: rv, drainMs: 10_000 });
    failures.all.push(...fan.failures);
    const p50 = percentile(fan.latenciesMs, 50);
    const p99 = percentile(fan.latenciesMs, 99);
    const max = fan.latenciesMs.reduce((a, b) => Math.max(a, b), 0);
    log(`watch fan-out: ${fan.latenciesMs.length}/${fan.expected} (watcher, event) pairs received; latency p50 ${fmtMs(p50)} ms, p99 ${fmtMs(p99)} ms, max ${fmtMs(max)} ms` +
      `  target p99 ≤ ${TARGETS.watchP99Ms} ms: ${verdict(p99 <= TARGETS.watchP99Ms && fan.latenciesMs.length > 0)}`);

    log(`server RSS after the run ${fmtMiB(rssMiB(pid))}`);
  } catch (err) {
    failures.all.push(err instanceof Error ? err.message : String(err));
  } finally {
    client.close();
    await cp.destroy();
  }
  log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return exitCodeFor(failures.all, log);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
}
