import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { openWatch } from '../testing/watch-client.js';
import type { TestWatch } from '../testing/watch-client.js';
import { PODS, pod } from '../testing/fixtures.js';

const MERGE = { 'content-type': 'application/merge-patch+json' };
const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
const summary = (w: TestWatch): string[] => w.events.map((e) => `${e.type} ${String(e.object.metadata?.['name'])}`);

describe('WATCH', () => {
  let s: TestServer;
  const open: TestWatch[] = [];
  const watch = async (url: string, headers?: Record<string, string>): Promise<TestWatch> => {
    const w = await openWatch(s, url, headers);
    open.push(w);
    return w;
  };
  beforeEach(async () => {
    s = await startTestServer();
    await s.request('POST', PODS, pod('a', { labels: { app: 'x' } }));
    await s.request('POST', PODS, pod('b', { labels: { app: 'y' } }));
  });
  afterEach(async () => {
    for (const w of open.splice(0)) w.close();
    await s.close();
  });

  it('starts with synthetic ADDED events for existing objects (no or zero resourceVersion)', async () => {
    for (const q of ['watch=true', 'watch=true&resourceVersion=0']) {
      const w = await watch(`${PODS}?${q}`);
      expect(w.status).toBe(200);
      expect(w.headers['content-type']).toBe('application/json');
      await w.waitFor(2);
      expect(summary(w)).toEqual(['ADDED a', 'ADDED b']);
    }
    const w = open[0]!;
    await s.request('POST', PODS, pod('c'));
    await w.waitFor(3);
    expect(summary(w)[2]).toBe('ADDED c');
  });

  it('replays every event after resourceVersion exactly once and in order', async () => {
    const rv = await s.listRv(PODS);
    await s.request('POST', PODS, pod('c'));
    await s.request('PATCH', `${PODS}/a`, { metadata: { labels: { app: 'x', v: '2' } } }, MERGE);
    await s.request('DELETE', `${PODS}/b`);
    const w = await watch(`${PODS}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    await w.waitFor(3);
    await s.request('POST', PODS, pod('d'));
    await w.waitFor(4);
    expect(summary(w)).toEqual(['ADDED c', 'MODIFIED a', 'DELETED b', 'ADDED d']);
    const rvs = w.events.map((e) => Number(e.object.metadata?.['resourceVersion']));
    expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
    expect(rvs[0]).toBeGreaterThan(Number(rv));
    // nothing is repeated: the next event the watch delivers is the next write
    await s.request('POST', PODS, pod('e'));
    await w.waitFor(5);
    expect(summary(w)).toEqual(['ADDED c', 'MODIFIED a', 'DELETED b', 'ADDED d', 'ADDED e']);
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    const w = await watch(`${PODS}?watch=true&labelSelector=app%3Dx`);
    await w.waitFor(1);
    await s.request('PATCH', `${PODS}/a`, { metadata: { labels: { app: 'gone' } } }, MERGE);
    await s.request('PATCH', `${PODS}/b`, { metadata: { labels: { app: 'x' } } }, MERGE);
    await s.request('PATCH', `${PODS}/b`, { metadata: { labels: { app: 'x', more: '1' } } }, MERGE);
    await s.request('PATCH', `${PODS}/a`, { metadata: { labels: { app: 'still-gone' } } }, MERGE);
    await s.request('DELETE', `${PODS}/b`);
    await w.waitFor(5);
    expect(summary(w)).toEqual(['ADDED a', 'DELETED a', 'ADDED b', 'MODIFIED b', 'DELETED b']);
  });

  it('filters by field selector, as kubectl wait and delete do', async () => {
    const rv = await s.listRv(`${PODS}?fieldSelector=metadata.name%3Db`);
    const w = await watch(`${PODS}?watch=true&fieldSelector=metadata.name%3Db&resourceVersion=${rv}`);
    await s.request('DELETE', `${PODS}/a`);
    await s.request('DELETE', `${PODS}/b`);
    await w.waitFor(1);
    expect(summary(w)).toEqual(['DELETED b']);
  });

  it('sends one-row Tables, with column definitions in the first event only', async () => {
    const w = await watch(`${PODS}?watch=true`, TABLE);
    await w.waitFor(2);
    await s.request('POST', PODS, pod('c'));
    await w.waitFor(3);
    const [first, second, third] = w.events;
    expect(first!.object['kind']).toBe('Table');
    expect((first!.object['columnDefinitions'] as unknown[]).length).toBeGreaterThan(0);
    for (const e of [second!, third!]) {
      expect(e.object['kind']).toBe('Table');
      expect((e.object['columnDefinitions'] as unknown[] | undefined) ?? []).toEqual([]);
    }
    const rows = third!.object['rows'] as Array<{ cells: unknown[]; object: { metadata: Record<string, unknown> } }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells[0]).toBe('c');
    expect(rows[0]!.object.metadata['namespace']).toBe('default');
    expect(third!.object.metadata?.['resourceVersion']).toBe(rows[0]!.object.metadata['resourceVersion']);
  });

  it('answers an ERROR event 410 Expired for a compacted resourceVersion', async () => {
    const old = await s.listRv(PODS);
    await s.request('POST', PODS, pod('c'));
    await s.request('POST', PODS, pod('d'));
    await s.store.compact(Number(old) + 2);
    const w = await watch(`${PODS}?watch=true&resourceVersion=${old}`);
    expect(w.status).toBe(200);
    await w.ended;
    expect(w.events).toHaveLength(1);
    expect(w.events[0]!.type).toBe('ERROR');
    expect(w.events[0]!.object).toMatchObject({ kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' });
    expect(String(w.events[0]!.object['message'])).toMatch(/^too old resource version: /);
  });

  it.each(['abc', '-3', '1.5'])('refuses resourceVersion=%s with 400', async (rv) => {
    const res = await s.request('GET', `${PODS}?watch=true&resourceVersion=${rv}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('refuses an invalid selector with 400 before streaming', async () => {
    const res = await s.request('GET', `${PODS}?watch=true&fieldSelector=spec.bogus%3D1`);
    expect(res.status).toBe(400);
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await watch(`${PODS}?watch=true&timeoutSeconds=0`);
    await w.ended;
    expect(summary(w)).toEqual(['ADDED a', 'ADDED b']);
  });

  it('watches across all namespaces', async () => {
    await s.request('POST', '/api/v1/namespaces', { metadata: { name: 'other' } });
    const w = await watch('/api/v1/pods?watch=true');
    await w.waitFor(2);
    await s.request('POST', '/api/v1/namespaces/other/pods', pod('z'));
    await w.waitFor(3);
    expect(w.events[2]!.object.metadata).toMatchObject({ name: 'z', namespace: 'other' });
  });
});
