import { describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { ApiError } from '../api/status.js';
import { decodeWatchStream } from './watch.js';
import type { WatchEvent } from './watch.js';

const ev = (type: string, name: string, rv = '1') => ({ type, object: { kind: 'ConfigMap', metadata: { name, resourceVersion: rv } } });
const line = (e: unknown) => JSON.stringify(e) + '\n';
const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

async function collect(body: Readable, signal = new AbortController().signal): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of decodeWatchStream(body, signal)) out.push(e);
  return out;
}
const summary = (evs: WatchEvent[]) => evs.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);

describe('decodeWatchStream', () => {
  it('decodes one event per line, several per chunk', async () => {
    const evs = await collect(chunks(line(ev('ADDED', 'a')) + line(ev('MODIFIED', 'a', '2')) + line(ev('DELETED', 'a', '3'))));
    expect(summary(evs)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    expect(evs[1]?.object.metadata?.resourceVersion).toBe('2');
  });

  it('joins a line split across chunks, at any byte', async () => {
    const text = line(ev('ADDED', 'a')) + line(ev('ADDED', 'b'));
    for (let cut = 1; cut < text.length; cut++) {
      expect(summary(await collect(chunks(text.slice(0, cut), text.slice(cut))))).toEqual(['ADDED a', 'ADDED b']);
    }
  });

  it('joins a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from(line({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'héllo €' } } }));
    const at = bytes.indexOf(Buffer.from('€')) + 1; // inside the three bytes of €
    const evs = await collect(Readable.from([bytes.subarray(0, at), bytes.subarray(at)]));
    expect(evs[0]?.object['data']).toEqual({ k: 'héllo €' });
  });

  it('skips blank lines and a final line without its newline is not an event', async () => {
    const evs = await collect(chunks('\n', line(ev('ADDED', 'a')), '  \n\n', JSON.stringify(ev('ADDED', 'half'))));
    expect(summary(evs)).toEqual(['ADDED a']);
  });

  it('yields BOOKMARK events (their resourceVersion is the resume point)', async () => {
    const evs = await collect(chunks(line({ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '77' } } })));
    expect(evs).toEqual([{ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '77' } } }]);
  });

  it('an ERROR event throws its Status as an ApiError after the events before it', async () => {
    const expired = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', message: 'too old resource version: 3 (10)', code: 410 };
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of decodeWatchStream(chunks(line(ev('ADDED', 'a')), line({ type: 'ERROR', object: expired }), line(ev('ADDED', 'never'))), new AbortController().signal)) {
        seen.push(e.object.metadata?.name ?? '');
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['a']);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 410, reason: 'Expired', message: 'too old resource version: 3 (10)' });
  });

  it('an ERROR Status without a code is a 500', async () => {
    await expect(collect(chunks(line({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', message: 'boom' } })))).rejects.toMatchObject({ code: 500, message: 'boom' });
  });

  it('a line that is not JSON fails the watch', async () => {
    await expect(collect(chunks('not json\n'))).rejects.toThrow(SyntaxError);
  });

  it('ends quietly when the signal aborts, and destroys the body', async () => {
    const body = new PassThrough();
    const ac = new AbortController();
    const it = decodeWatchStream(body, ac.signal)[Symbol.asyncIterator]();
    body.write(line(ev('ADDED', 'a')));
    expect((await it.next()).value).toMatchObject({ type: 'ADDED' });
    const next = it.next();
    ac.abort();
    body.destroy(new Error('aborted'));
    expect(await next).toEqual({ done: true, value: undefined });
    expect(body.destroyed).toBe(true);
  });

  it('destroys the body when the consumer stops early', async () => {
    const body = new PassThrough();
    body.write(line(ev('ADDED', 'a')) + line(ev('ADDED', 'b')));
    for await (const e of decodeWatchStream(body, new AbortController().signal)) { expect(e.type).toBe('ADDED'); break; }
    expect(body.destroyed).toBe(true);
  });
});
