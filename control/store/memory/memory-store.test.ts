import { describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../../../test/conformance/store.js';
import { MemoryStore } from './memory-store.js';

describeStoreConformance('memory', async () => new MemoryStore());

describe('MemoryStore', () => {
  it('cuts off a watcher that falls too far behind', async () => {
    const s = new MemoryStore({ maxBufferedEvents: 10 });
    const it = s.watch('/', 0, new AbortController().signal)[Symbol.asyncIterator]();
    const first = it.next();
    await s.create('/a', new Uint8Array([1]));
    expect((await first).value?.kv.key).toBe('/a');
    for (let i = 0; i < 20; i++) await s.create(`/k${i}`, new Uint8Array([1]));
    await expect(it.next()).rejects.toMatchObject({ code: 'Unavailable' });
    await s.close();
  });

  it('rejects operations after close', async () => {
    const s = new MemoryStore();
    await s.close();
    await expect(s.get('/a')).rejects.toMatchObject({ code: 'Unavailable' });
  });
});
