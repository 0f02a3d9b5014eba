import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { IEvent, IWatchRequest, IWatchResponse, WatchClient } from 'etcd3';
import { KeySpace } from './codec.js';
import { watchEtcd } from './etcd-watch.js';

/** One fake gRPC watch stream: records requests, lets the test push responses or break it. */
class FakeStream extends EventEmitter {
  readonly requests: IWatchRequest[] = [];
  cancelled = false;
  write(req: IWatchRequest): void { this.requests.push(req); }
  end(): void {}
  cancel(): void { this.cancelled = true; }
  respond(res: Partial<IWatchResponse>): void {
    this.emit('data', { header: { revision: '0' }, watch_id: '0', created: false, canceled: false, compact_revision: '0', cancel_reason: '', fragment: false, events: [], ...res });
  }
}

/** A WatchClient handing out a new FakeStream per watch() call; opened() resolves each one in turn. */
function fakeClient(): { client: WatchClient; opened(): Promise<FakeStream> } {
  const streams: FakeStream[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  const client = {
    watch: async () => {
      const s = new FakeStream();
      streams.push(s);
      wake?.();
      return s;
    },
  } as unknown as WatchClient;
  const opened = async (): Promise<FakeStream> => {
    while (streams.length <= taken) await new Promise<void>((resolve) => { wake = resolve; });
    const s = streams[taken++]!;
    await new Promise((r) => setImmediate(r)); // let the watcher attach its listeners and write its request
    return s;
  };
  return { client, opened };
}

const put = (key: string, rev: number): IEvent => ({
  type: 'Put',
  kv: { key: Buffer.from(`/p${key}`), value: Buffer.from('v'), create_revision: String(rev), mod_revision: String(rev), version: '1', lease: '0' },
  prev_kv: undefined as unknown as IEvent['prev_kv'],
});

const start = (client: WatchClient, from: number, ac = new AbortController()) =>
  ({ ac, it: watchEtcd({ client, keys: new KeySpace('/p'), prefix: '/w/', from, signal: ac.signal, retryForMs: 5000 })[Symbol.asyncIterator]() });

describe('watchEtcd', () => {
  it('starts AT `from` with prev_kv under the root and skips the events at `from`', async () => {
    const f = fakeClient();
    const { ac, it } = start(f.client, 7);
    const first = it.next();
    const s = await f.opened();
    expect(s.requests[0]?.create_request).toMatchObject({ start_revision: 7, prev_kv: true });
    expect(s.requests[0]?.create_request?.key?.toString()).toBe('/p/w/');
    s.respond({ created: true });
    s.respond({ events: [put('/w/a', 7), put('/w/b', 8)] });
    expect((await first).value?.kv).toMatchObject({ key: '/w/b', modRevision: 8 });
    ac.abort();
    expect((await it.next()).done).toBe(true);
    expect(s.cancelled).toBe(true);
  });

  it('fails Compacted when etcd cancels for compaction, reporting the compact revision', async () => {
    const f = fakeClient();
    let seen = 0;
    const ac = new AbortController();
    const it = watchEtcd({ client: f.client, keys: new KeySpace('/p'), prefix: '/w/', from: 3, signal: ac.signal, onCompacted: (r) => { seen = r; } })[Symbol.asyncIterator]();
    const next = it.next();
    const s = await f.opened();
    s.respond({ created: true });
    s.respond({ canceled: true, compact_revision: '10' });
    await expect(next).rejects.toMatchObject({ name: 'StoreError', code: 'Compacted' });
    expect(seen).toBe(10);
  });

  it('re-creates a broken stream from the last revision it yielded', async () => {
    const f = fakeClient();
    const { ac, it } = start(f.client, 0);
    const first = it.next();
    const s1 = await f.opened();
    expect(s1.requests[0]?.create_request?.start_revision).toBe(1);
    s1.respond({ created: true, events: [put('/w/a', 4)] });
    expect((await first).value?.kv.modRevision).toBe(4);
    const second = it.next();
    s1.emit('error', new Error('14 UNAVAILABLE: connection reset'));
    const s2 = await f.opened();
    expect(s2.requests[0]?.create_request?.start_revision).toBe(4);
    s2.respond({ created: true, events: [put('/w/a', 4), put('/w/b', 5)] });
    expect((await second).value?.kv.modRevision).toBe(5);
    ac.abort();
    expect((await it.next()).done).toBe(true);
  });

  it('fails Unavailable when etcd cancels for another reason', async () => {
    const f = fakeClient();
    const { it } = start(f.client, 0);
    const next = it.next();
    const s = await f.opened();
    s.respond({ created: true, canceled: true, cancel_reason: 'permission denied' });
    await expect(next).rejects.toMatchObject({ code: 'Unavailable', message: expect.stringContaining('permission denied') });
  });
});
