/** Reads a watch response streamed by inject() (payloadAsStream) as NDJSON events. */
import type { Readable } from 'node:stream';
import type { TestServer } from './test-server.js';

export interface WatchEventJson { type: string; object: Record<string, unknown> & { metadata?: Record<string, unknown> } }

export interface TestWatch {
  status: number;
  headers: Record<string, unknown>;
  /** Every event received so far. */
  events: WatchEventJson[];
  /** Wait until at least `count` events have arrived (in total) and return them all. */
  waitFor(count: number, timeoutMs?: number): Promise<WatchEventJson[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openWatch(s: TestServer, url: string, headers: Record<string, string> = {}): Promise<TestWatch> {
  const res = await s.app.inject({ method: 'GET', url, headers, payloadAsStream: true });
  const stream = res.stream() as Readable;
  const events: WatchEventJson[] = [];
  const waiters = new Set<() => void>();
  let buf = '';
  let done = false;
  const ended = new Promise<void>((resolve) => {
    const finish = () => { done = true; for (const w of waiters) w(); resolve(); };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
  stream.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) events.push(JSON.parse(line) as WatchEventJson);
    }
    for (const w of waiters) w();
  });
  return {
    status: res.statusCode, headers: res.headers, events, ended,
    async waitFor(count, timeoutMs = 2000) {
      if (events.length >= count) return events;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`watch ${url}: ${events.length} of ${count} events after ${timeoutMs} ms: ${JSON.stringify(events.map((e) => e.type))}`)); }, timeoutMs);
        const check = () => {
          if (events.length >= count || done) { clearTimeout(timer); waiters.delete(check); resolve(); }
        };
        waiters.add(check);
      });
      if (events.length < count) throw new Error(`watch ${url} ended after ${events.length} of ${count} events`);
      return events;
    },
    close() { stream.destroy(); },
  };
}
