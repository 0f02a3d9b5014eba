import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { silentLogger } from '../util/log.js';
import { eventually } from '../../test/helpers/eventually.js';
import { ListWatchInformer } from './informer.js';
import { RestClient } from './rest-client.js';
import { FakeTransport } from './testing/fake-transport.js';

const CM = findResource('', 'v1', 'configmaps')!;
const cm = (name: string, rv: string): KubeObject => ({ metadata: { name, namespace: 'default', resourceVersion: rv } });
const list = (rv: string, ...items: KubeObject[]) => ({ kind: 'ConfigMapList', metadata: { resourceVersion: rv }, items });
const lines = (...evs: unknown[]) => Readable.from(evs.map((e) => Buffer.from(JSON.stringify(e) + '\n')));
const gone = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', message: 'too old resource version: 11 (15)', code: 410 };

describe('ListWatchInformer against a FakeTransport', () => {
  let ac: AbortController;
  beforeEach(() => { ac = new AbortController(); });
  afterEach(() => ac.abort());

  function start(t: FakeTransport) {
    const inf = new ListWatchInformer({ client: new RestClient(t), ri: CM, log: silentLogger(), retryDelayMs: 1 });
    const seen: string[] = [];
    inf.on({ add: (o) => seen.push(`add ${o.metadata?.name}`), update: (_a, o) => seen.push(`update ${o.metadata?.name}`), delete: (o) => seen.push(`delete ${o.metadata?.name}`) });
    void inf.run(ac.signal);
    /** "list" or "watch@<resourceVersion>" per call so far. */
    const calls = () => t.requests.map((r) => (r.query.get('watch') ? `watch@${r.query.get('resourceVersion')}` : 'list'));
    return { inf, seen, calls };
  }

  it('watches from the list resourceVersion; 410 Expired relists at once, replacing the cache and reporting what vanished', async () => {
    const t = new FakeTransport();
    t.answer(200, list('10', cm('a', '3'), cm('b', '4')));
    t.answerStream(200, lines({ type: 'ADDED', object: cm('c', '11') }, { type: 'ERROR', object: gone }));
    t.answer(200, list('20', cm('a', '3'), cm('c', '11')));
    t.answerStream(200, new PassThrough());
    const { inf, seen, calls } = start(t);
    await eventually(() => { expect(calls()).toEqual(['list', 'watch@10', 'list', 'watch@20']); });
    expect(inf.hasSynced()).toBe(true);
    expect(seen).toEqual(['add a', 'add b', 'add c', 'delete b', 'update a', 'update c']);
    expect(inf.cache.list().map((o) => o.metadata?.name).sort()).toEqual(['a', 'c']);
  });

  it('a watch the server ends is resumed from the last resourceVersion seen (bookmarks included), without a relist', async () => {
    const t = new FakeTransport();
    t.answer(200, list('10', cm('a', '3')));
    t.answerStream(200, lines({ type: 'MODIFIED', object: cm('a', '12') }, { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '14' } } }));
    t.answerStream(200, lines({ type: 'DELETED', object: cm('a', '15') }));
    t.answerStream(200, new PassThrough());
    const { inf, seen, calls } = start(t);
    await eventually(() => { expect(calls()).toEqual(['list', 'watch@10', 'watch@14', 'watch@15']); });
    expect(seen).toEqual(['add a', 'update a', 'delete a']);
    expect(inf.cache.size).toBe(0);
  });

  it('a watch refused for another reason relists after the retry delay', async () => {
    const t = new FakeTransport();
    t.answer(200, list('10', cm('a', '3')));
    t.answerStream(500, lines({ kind: 'Status', status: 'Failure', reason: 'InternalError', message: 'boom', code: 500 }));
    t.answer(200, list('30', cm('a', '3')));
    t.answerStream(200, new PassThrough());
    const { seen, calls } = start(t);
    await eventually(() => { expect(calls()).toEqual(['list', 'watch@10', 'list', 'watch@30']); });
    expect(seen).toEqual(['add a', 'update a']);
  });
});
