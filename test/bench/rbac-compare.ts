/**
 * The cost of authorization (issue 11): the same creates/s and GETs/s, against the same server in
 * the same run, by two identities that differ only in how they are authorized. Both present a
 * client certificate signed by the cluster CA (so authentication costs the same): one in
 * system:masters (the superuser, which skips RBAC) and `bench-user` in group `bench-editors`, which
 * RBAC allows through a RoleBinding to the `edit` ClusterRole, found among a few hundred unrelated
 * bindings created first. The rounds alternate the two identities (ABBA) so machine load hits both
 * alike; the figures are each identity's requests over its seconds across every round. On a busy
 * machine those rates still swing by ±10-20% between rounds, so two steadier figures follow: single
 * requests taking turns (p50 latency) and the authorizer alone in process over the server's policy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../control/api/object.js';
import { createAuthorizer } from '../../control/apiserver/authz/authorizer.js';
import type { AuthorizationRequest } from '../../control/apiserver/authz/authorizer.js';
import type { ObjectLookup } from '../../control/apiserver/authz/object-lookup.js';
import { PolicyIndex } from '../../control/apiserver/authz/rbac/policy-index.js';
import { issueClientCert } from '../../control/pki/issue-cert.js';
import { performance } from 'node:perf_hooks';
import { HttpsClient, runLoad } from './https-load.js';
import type { Call, LoadResult } from './https-load.js';
import { fmtMs, fmtRate, rateLine, verdict } from './report.js';
import { percentile } from './watch-fanout.js';

/** Issue 11: RBAC may cost at most 10% of the superuser's rate. */
export const RBAC_MIN_RATIO = 0.9;

const RBAC_API = '/apis/rbac.authorization.k8s.io/v1';
const UNRELATED_CLUSTER_BINDINGS = 100;
const UNRELATED_ROLE_BINDINGS = 100;
/** Per identity and measure: short slices, alternated A B B A …, so bursts of machine load hit both alike. */
const ROUNDS = 4;
const ROUND_SECONDS = 0.6;
/** Then one request at a time, the identities alternating request by request, for this long per measure. */
const LATENCY_SECONDS = 1;
const BENCH_GROUP = 'bench-editors';

export interface RbacCompareOptions {
  host: string;
  port: number;
  ca: string;
  pkiDir: string;
  /** An admin client, for creating the policy. */
  admin: HttpsClient;
  namespace: string;
  concurrency: number;
  /** The ConfigMap create call for a name. */
  create: (name: string) => Call;
  /** The rates of the main run (admin token), for the superuser lines' ratio. */
  base: { post: number; get: number };
  targets: { createsPerSecond: number; getsPerSecond: number };
  log: (s: string) => void;
  /** Records a functional failure (never timing). */
  fail: (what: string, r?: LoadResult) => void;
}

interface Identity { label: string; client: HttpsClient; creates: Totals; gets: Totals; createdNames: string[] }

class Totals {
  done = 0;
  seconds = 0;
  readonly rounds: number[] = [];
  add(r: LoadResult): void { this.done += r.done; this.seconds += r.seconds; this.rounds.push(r.perSecond); }
  get perSecond(): number { return this.seconds > 0 ? this.done / this.seconds : 0; }
}

const binding = (kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, namespace: string | undefined, role: string, subject: { kind: string; name: string }): string =>
  JSON.stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
  });

/** Unrelated bindings first (so the one that matters is found last), then bench-editors -> edit in the namespace. */
async function createPolicy(o: RbacCompareOptions): Promise<void> {
  const calls: Call[] = [];
  for (let i = 0; i < UNRELATED_CLUSTER_BINDINGS; i++) {
    calls.push({ method: 'POST', path: `${RBAC_API}/clusterrolebindings`, body: binding('ClusterRoleBinding', `bench-unrelated-${i}`, undefined, i % 2 ? 'view' : 'edit', { kind: 'User', name: `someone-${i}` }) });
  }
  for (let i = 0; i < UNRELATED_ROLE_BINDINGS; i++) {
    calls.push({ method: 'POST', path: `${RBAC_API}/namespaces/${o.namespace}/rolebindings`, body: binding('RoleBinding', `bench-unrelated-${i}`, o.namespace, i % 2 ? 'view' : 'admin', { kind: 'Group', name: `team-${i}` }) });
  }
  const unrelated = await runLoad(o.admin, { concurrency: o.concurrency, maxRequests: calls.length, maxSeconds: 30, call: (i) => calls[i]!, expectStatus: 201 });
  if (unrelated.failures > 0) o.fail('RBAC: unrelated bindings', unrelated);
  const mine = await o.admin.send({ method: 'POST', path: `${RBAC_API}/namespaces/${o.namespace}/rolebindings`, body: binding('RoleBinding', 'bench-editors-edit', o.namespace, 'edit', { kind: 'Group', name: BENCH_GROUP }) });
  if (mine.status !== 201) throw new Error(`RBAC: create RoleBinding bench-editors-edit: HTTP ${mine.status} ${mine.body.slice(0, 200)}`);
}

/** Polls until RBAC allows the user (the policy index and the edit aggregation follow the store). */
async function waitAllowed(client: HttpsClient, path: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    const r = await client.send({ method: 'GET', path });
    if (r.status === 200) return;
    last = `HTTP ${r.status} ${r.body.slice(0, 200)}`;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`RBAC: bench-user still not allowed after 10 s: ${last}`);
}

async function clientFor(o: RbacCompareOptions, commonName: string, group: string): Promise<HttpsClient> {
  const ca = { caCertPem: o.ca, caKeyPem: readFileSync(join(o.pkiDir, 'ca.key'), 'utf8') };
  const pair = await issueClientCert(ca, { commonName, organizations: [group] });
  return new HttpsClient({ host: o.host, port: o.port, ca: o.ca, cert: pair.certPem, key: pair.keyPem }, o.concurrency);
}

/**
 * Latencies of single requests, the two identities taking turns request by request (a b b a …),
 * so no burst of machine load falls on one alone: the cleaner comparison on a loaded machine.
 */
async function alternatingLatency(ids: readonly Identity[], call: (id: Identity, i: number) => Call, expectStatus: number, seconds: number,
  fail: (what: string) => void): Promise<number[][]> {
  const ms: number[][] = ids.map(() => []);
  const deadline = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < deadline; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) {
      const c = call(ids[k]!, i);
      const t = performance.now();
      const r = await ids[k]!.client.send(c);
      ms[k]!.push(performance.now() - t);
      if (r.status !== expectStatus) fail(`RBAC latency ${c.method} ${c.path} as ${ids[k]!.label}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }
  }
  return ms;
}

const noLookup: ObjectLookup = {
  pods: () => Promise.reject(new Error('unused')), pod: () => Promise.reject(new Error('unused')), node: () => Promise.reject(new Error('unused')),
};

/**
 * The authorizer alone, in this process, over the server's own policy (listed from it): µs per
 * decision for each identity, free of the machine's noise on the end-to-end figures.
 */
async function authorizerMicros(o: RbacCompareOptions): Promise<{ su: number; rb: number; objects: number }> {
  const index = new PolicyIndex();
  for (const [kind, resource] of [['ClusterRole', 'clusterroles'], ['Role', 'roles'], ['ClusterRoleBinding', 'clusterrolebindings'], ['RoleBinding', 'rolebindings']] as const) {
    const r = await o.admin.send({ method: 'GET', path: `${RBAC_API}/${resource}` });
    if (r.status !== 200) throw new Error(`RBAC: list ${resource}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    for (const obj of (JSON.parse(r.body) as { items: KubeObject[] }).items) index.apply(kind, obj, false);
  }
  const authz = createAuthorizer({ lookup: noLookup, policy: index, synced: Promise.resolve() });
  const req: AuthorizationRequest = { kind: 'resource', verb: 'create', group: '', resource: 'configmaps', namespace: o.namespace };
  const time = async (user: { name: string; groups: string[] }): Promise<number> => {
    const n = 20_000;
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) if (await authz.authorize(user, req)) throw new Error(`RBAC: ${user.name} denied in process`);
      best = Math.min(best, ((performance.now() - t) * 1000) / n);
    }
    return best;
  };
  const rbUser = { name: 'bench-user', groups: [BENCH_GROUP, 'system:authenticated'] };
  const suUser = { name: 'bench-admin', groups: ['system:masters', 'system:authenticated'] };
  await time(rbUser); // warm the JIT
  return { su: await time(suUser), rb: await time(rbUser), objects: index.size };
}

/** Runs the comparison and prints its lines; failures go to o.fail, timing never does. */
export async function compareRbac(o: RbacCompareOptions): Promise<void> {
  const t0 = Date.now();
  const su: Identity = { label: 'system:masters', client: await clientFor(o, 'bench-admin', 'system:masters'), creates: new Totals(), gets: new Totals(), createdNames: [] };
  const rb: Identity = { label: `RBAC ${BENCH_GROUP}→edit`, client: await clientFor(o, 'bench-user', BENCH_GROUP), creates: new Totals(), gets: new Totals(), createdNames: [] };
  try {
    await createPolicy(o);
    const policySeconds = (Date.now() - t0) / 1000;
    const collection = `/api/v1/namespaces/${o.namespace}/configmaps`;
    await waitAllowed(rb.client, collection + '?limit=1');
    // Warm both: open every keep-alive connection (TLS handshakes) before anything is timed.
    for (const id of [su, rb]) {
      const w = await runLoad(id.client, { concurrency: o.concurrency, maxRequests: 2 * o.concurrency, maxSeconds: 5, call: () => ({ method: 'GET', path: `/api/v1/namespaces/${o.namespace}/configmaps?limit=1` }), expectStatus: 200 });
      if (w.failures > 0) o.fail(`RBAC warm-up as ${id.label}`, w);
    }
    const setupSeconds = (Date.now() - t0) / 1000;

    const order = (round: number): Identity[] => (round % 2 === 0 ? [su, rb] : [rb, su]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const id of order(round)) {
        const prefix = `rbac-${id === su ? 'su' : 'rb'}-${round}-`;
        const r = await runLoad(id.client, { concurrency: o.concurrency, maxRequests: 1_000_000, maxSeconds: ROUND_SECONDS, call: (i) => o.create(`${prefix}${i}`), expectStatus: 201 });
        if (r.failures > 0) o.fail(`RBAC creates as ${id.label}`, r);
        id.creates.add(r);
        id.createdNames.push(...r.succeeded.map((i) => `${prefix}${i}`));
      }
    }
    const names = [...su.createdNames, ...rb.createdNames];
    if (names.length === 0) throw new Error('RBAC: no ConfigMap was created; cannot measure GETs');
    for (let round = 0; round < ROUNDS; round++) {
      for (const id of order(round)) {
        const r = await runLoad(id.client, { concurrency: o.concurrency, maxRequests: 1_000_000, maxSeconds: ROUND_SECONDS, call: (i) => ({ method: 'GET', path: `${collection}/${names[(i * 7919 + round) % names.length]}` }), expectStatus: 200 });
        if (r.failures > 0) o.fail(`RBAC GETs as ${id.label}`, r);
        id.gets.add(r);
      }
    }

    const tag = (id: Identity): string => (id === su ? 'su' : 'rb');
    const createLat = await alternatingLatency([su, rb], (id, i) => o.create(`rbac-lat-${tag(id)}-${i}`), 201, LATENCY_SECONDS, (w) => o.fail(w));
    const getLat = await alternatingLatency([su, rb], (_id, i) => ({ method: 'GET', path: `${collection}/${names[(i * 7919) % names.length]}` }), 200, LATENCY_SECONDS, (w) => o.fail(w));

    const micro = await authorizerMicros(o);

    const rounds = (t: Totals): string => t.rounds.map(fmtRate).join(', ');
    const note = (what: string, id: Identity, t: Totals): string => `  (${id.label}: ${t.done} ${what} in ${t.seconds.toFixed(2)} s; rounds ${rounds(t)})`;
    o.log(`RBAC cost: client certificates, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s per identity, ` +
      `${UNRELATED_CLUSTER_BINDINGS} unrelated ClusterRoleBindings + ${UNRELATED_ROLE_BINDINGS} RoleBindings in ${o.namespace} (setup ${setupSeconds.toFixed(1)} s, of which bindings ${policySeconds.toFixed(1)} s)`);
    o.log(rateLine('creates/s', su.creates.perSecond, o.base.post, 'bare https POST', o.targets.createsPerSecond, note('ConfigMaps', su, su.creates)));
    o.log(rateLine('creates/s', rb.creates.perSecond, su.creates.perSecond, 'system:masters', o.targets.createsPerSecond, note('ConfigMaps', rb, rb.creates)));
    o.log(rateLine('GETs/s', su.gets.perSecond, o.base.get, 'bare https GET', o.targets.getsPerSecond, note('GETs', su, su.gets)));
    o.log(rateLine('GETs/s', rb.gets.perSecond, su.gets.perSecond, 'system:masters', o.targets.getsPerSecond, note('GETs', rb, rb.gets)));
    const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
    const cr = ratio(rb.creates.perSecond, su.creates.perSecond);
    const gr = ratio(rb.gets.perSecond, su.gets.perSecond);
    const p50 = (xs: number[] | undefined): number => percentile(xs ?? [], 50);
    const latLine = (what: string, lat: number[][]): string =>
      `${what} p50 ${fmtMs(p50(lat[0]))} ms (system:masters) vs ${fmtMs(p50(lat[1]))} ms (RBAC), ${lat[0]?.length ?? 0}+${lat[1]?.length ?? 0} requests`;
    o.log(`one request at a time, alternating: ${latLine('create', createLat)}; ${latLine('GET', getLat)}`);
    o.log(`authorizer alone (in process, the server's ${micro.objects} RBAC objects): ${micro.rb.toFixed(1)} µs per RBAC decision, ${micro.su.toFixed(2)} µs for system:masters` +
      ` = ${((micro.rb - micro.su) * rb.gets.perSecond / 1e4).toFixed(2)}% of one core at the RBAC GETs/s above`);
    o.log(`RBAC / system:masters: creates ${cr.toFixed(2)}×, GETs ${gr.toFixed(2)}×  target ≥ ${RBAC_MIN_RATIO.toFixed(2)}×: ${verdict(cr >= RBAC_MIN_RATIO && gr >= RBAC_MIN_RATIO)}` +
      `  (by p50 latency: creates ${ratio(p50(createLat[0]), p50(createLat[1])).toFixed(2)}×, GETs ${ratio(p50(getLat[0]), p50(getLat[1])).toFixed(2)}×; ${((Date.now() - t0) / 1000).toFixed(1)} s in all)`);
  } finally {
    su.client.close();
    rb.client.close();
  }
}
