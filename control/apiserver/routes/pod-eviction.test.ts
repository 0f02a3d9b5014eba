import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { PODS, pod } from '../testing/fixtures.js';
import { MORE_THAN_ONE_PDB, VIOLATES_BUDGET } from './pod-eviction.js';

const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const eviction = (name: string, deleteOptions: Record<string, unknown> = {}) =>
  ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, deleteOptions });
type Obj = Record<string, unknown> & { metadata?: Record<string, unknown>; status?: Record<string, unknown> };

describe('pods/eviction with PodDisruptionBudgets', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  /** A bound pod with phase and Ready as given (what the node agent would report). */
  async function runningPod(name: string, o: { ready?: boolean; phase?: string; labels?: Record<string, string> } = {}): Promise<void> {
    expect((await s.request('POST', PODS, pod(name, { labels: o.labels ?? { app: 'web' }, nodeName: 'node1' }))).status).toBe(201);
    const cur = (await s.request('GET', `${PODS}/${name}`)).body as Obj;
    const status = { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] };
    const res = await s.request('PUT', `${PODS}/${name}/status`, { ...cur, status });
    expect(res.status, res.text).toBe(200);
  }

  /** A PDB whose status says what a disruption controller would have written. */
  async function budget(name: string, spec: Record<string, unknown>, status: Record<string, unknown>): Promise<void> {
    const created = await s.request('POST', PDBS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
    expect(created.status, created.text).toBe(201);
    const gen = (created.body as Obj).metadata?.['generation'];
    const res = await s.request('PUT', `${PDBS}/${name}/status`, { ...created.body, status: { observedGeneration: gen, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0, ...status } });
    expect(res.status, res.text).toBe(200);
  }

  const getPod = async (name: string) => (await s.request('GET', `${PODS}/${name}`)).body as Obj;
  const getPdb = async (name: string) => (await s.request('GET', `${PDBS}/${name}`)).body as Obj;
  const conditionOf = (p: Obj, type: string) => ((p.status?.['conditions'] ?? []) as Array<Record<string, unknown>>).find((c) => c['type'] === type);

  it('uses up the budget: the first eviction decrements it and records the pod, the second answers 429 and changes nothing', async () => {
    await runningPod('a');
    await runningPod('b');
    await budget('pdb', { minAvailable: 1 }, { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 });

    const first = await s.request('POST', `${PODS}/a/eviction`, eviction('a'));
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    const a = await getPod('a');
    expect(a.metadata?.['deletionTimestamp']).toBeTruthy();
    expect(conditionOf(a, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
    const pdb = await getPdb('pdb');
    expect(pdb.status).toMatchObject({ disruptionsAllowed: 0, currentHealthy: 2 });
    expect(Object.keys(pdb.status?.['disruptedPods'] as object)).toEqual(['a']);
    expect(conditionOf(pdb, 'DisruptionAllowed')).toMatchObject({ status: 'False', reason: 'InsufficientPods' });

    const before = await s.listRv(PODS);
    const second = await s.request('POST', `${PODS}/b/eviction`, eviction('b'));
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBeUndefined();
    expect(second.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'TooManyRequests', code: 429, message: VIOLATES_BUDGET,
      details: { causes: [{ type: 'DisruptionBudget', message: 'The disruption budget pdb needs 1 healthy pods and has 2 currently' }] },
    });
    expect(await s.listRv(PODS)).toBe(before);
    const b = await getPod('b');
    expect(b.metadata?.['deletionTimestamp']).toBeUndefined();
    expect(conditionOf(b, 'DisruptionTarget')).toBeUndefined();
  });

  it('answers 429 while the PDB status is older than its spec', async () => {
    await runningPod('a');
    await budget('pdb', { minAvailable: 0 }, { currentHealthy: 1, expectedPods: 1, disruptionsAllowed: 1, observedGeneration: 0 });
    const res = await s.request('POST', `${PODS}/a/eviction`, eviction('a'));
    expect(res.status).toBe(429);
    expect(res.body['details']).toEqual({ causes: [{ type: 'DisruptionBudget', message: 'The disruption budget pdb is still being processed by the server.' }] });
    expect((await getPod('a')).metadata?.['deletionTimestamp']).toBeUndefined();
  });

  it('refuses a pod matched by two PDBs with a 500 and deletes nothing', async () => {
    await runningPod('a');
    await budget('one', { maxUnavailable: 1 }, { disruptionsAllowed: 1 });
    await budget('two', { maxUnavailable: 1 }, { disruptionsAllowed: 1 });
    const res = await s.request('POST', `${PODS}/a/eviction`, eviction('a'));
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', code: 500, message: MORE_THAN_ONE_PDB });
    expect((await getPod('a')).metadata?.['deletionTimestamp']).toBeUndefined();
    expect((await getPdb('one')).status?.['disruptionsAllowed']).toBe(1);
  });

  it('ignores PDBs that do not select the pod', async () => {
    await runningPod('a', { labels: { app: 'other' } });
    await budget('pdb', { maxUnavailable: 0 }, {});
    expect((await s.request('POST', `${PODS}/a/eviction`, eviction('a'))).status).toBe(201);
  });

  it.each([
    ['IfHealthyBudget, budget met: evicted, budget untouched', undefined, { currentHealthy: 2, desiredHealthy: 2 }, 201],
    ['IfHealthyBudget, budget not met: 429', 'IfHealthyBudget', { currentHealthy: 1, desiredHealthy: 2 }, 429],
    ['AlwaysAllow, budget not met: evicted', 'AlwaysAllow', { currentHealthy: 1, desiredHealthy: 2 }, 201],
  ] as const)('an unready pod: %s', async (_n, policy, counts, code) => {
    await runningPod('sick', { ready: false });
    await budget('pdb', { minAvailable: 2, ...(policy ? { unhealthyPodEvictionPolicy: policy } : {}) }, { ...counts, expectedPods: 3, disruptionsAllowed: 0 });
    const res = await s.request('POST', `${PODS}/sick/eviction`, eviction('sick'));
    expect(res.status, res.text).toBe(code);
    expect(Boolean((await getPod('sick')).metadata?.['deletionTimestamp'])).toBe(code === 201);
    expect((await getPdb('pdb')).status?.['disruptedPods']).toBeUndefined();
  });

  it.each([['Pending'], ['Succeeded'], ['Failed']])('evicts a %s pod without asking the budget', async (phase) => {
    await runningPod('a', { phase });
    await budget('pdb', { maxUnavailable: 0 }, {});
    expect((await s.request('POST', `${PODS}/a/eviction`, eviction('a'))).status).toBe(201);
  });

  it('answers an already terminating pod with success', async () => {
    await runningPod('a');
    await budget('pdb', { maxUnavailable: 0 }, {});
    expect((await s.request('DELETE', `${PODS}/a`)).status).toBeLessThan(300);
    expect((await getPod('a')).metadata?.['deletionTimestamp']).toBeTruthy();
    const res = await s.request('POST', `${PODS}/a/eviction`, eviction('a'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'Success' });
  });

  it('dry run: neither the budget nor the pod changes', async () => {
    await runningPod('a');
    await budget('pdb', { maxUnavailable: 1 }, { currentHealthy: 1, expectedPods: 1, disruptionsAllowed: 1 });
    const before = await getPdb('pdb');
    const res = await s.request('POST', `${PODS}/a/eviction`, eviction('a', { dryRun: ['All'] }));
    expect(res.status, res.text).toBe(201);
    expect((await getPdb('pdb')).metadata?.['resourceVersion']).toBe(before.metadata?.['resourceVersion']);
    const a = await getPod('a');
    expect(a.metadata?.['deletionTimestamp']).toBeUndefined();
    expect(conditionOf(a, 'DisruptionTarget')).toBeUndefined();
  });

  it.each([
    [{ gracePeriodSeconds: 'abc' }, 400],
    [{ preconditions: { uid: 5 } }, 400],
    [{ dryRun: 'All' }, 400],
    [{ propagationPolicy: 'Bogus' }, 422],
    [{ dryRun: ['Some'] }, 422],
  ] as const)('refuses deleteOptions %j with %i before writing anything', async (opts, code) => {
    await runningPod('a');
    await budget('pdb', { maxUnavailable: 1 }, { currentHealthy: 1, expectedPods: 1, disruptionsAllowed: 1 });
    const pods = await s.listRv(PODS);
    const pdbs = await s.listRv(PDBS);
    const res = await s.request('POST', `${PODS}/a/eviction`, eviction('a', opts));
    expect(res.status, res.text).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure' });
    expect(await s.listRv(PODS)).toBe(pods);
    expect(await s.listRv(PDBS)).toBe(pdbs);
  });

  it('400s an Eviction naming another pod', async () => {
    await runningPod('a');
    const res = await s.request('POST', `${PODS}/a/eviction`, eviction('b'));
    expect(res.status).toBe(400);
    expect(res.body['message']).toBe('name in URL does not match name in Eviction object');
  });

  it('honours a stale resourceVersion precondition without retrying', async () => {
    await runningPod('a');
    const res = await s.request('POST', `${PODS}/a/eviction`, eviction('a', { preconditions: { resourceVersion: '1' } }));
    expect(res.status).toBe(409);
    expect((await getPod('a')).metadata?.['deletionTimestamp']).toBeUndefined();
  });
});
