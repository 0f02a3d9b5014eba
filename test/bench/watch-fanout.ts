/**
 * Watch fan-out latency: many watch connections on one collection, then spaced updates of one
 * object that carry their send time in data; latency = receive time - send time per (watcher, event).
 */
import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { HttpsClient, Target } from './https-load.js';

export interface FanoutOptions {
  watchers: number;
  updates: number;
  spacingMs: number;
  namespace: string;
  /** Name of the ConfigMap the updates patch (created by the caller before the watches start). */
  name: string;
  resourceVersion: string;
  /** How long to wait for stragglers after the last update. */
  drainMs: number;
}

export interface FanoutResult {
  latenciesMs: number[];
  expected: number;
  /** Problems: failed updates, ERROR events, duplicate or missing events. */
  failures: string[];
}

const now = (): number => performance.timeOrigin + performance.now();

interface Watcher { seen: Set<number>; req: ClientRequest; ended: boolean }

function openWatcher(t: Target, path: string, latencies: number[], failures: string[], name: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (t.token) headers.Authorization = `Bearer ${t.token}`;
    const req = request({ host: t.host, port: t.port, path, headers, ca: t.ca, agent: false });
    const w: Watcher = { seen: new Set(), req, ended: false };
    req.on('error', (err) => { if (!w.ended) failures.push(`watch: ${err.message}`); reject(err); });
    req.on('response', (res) => {
      if (res.statusCode !== 200) { reject(new Error(`watch: HTTP ${res.statusCode}`)); res.resume(); return; }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = now(); // arrival time of the chunk, before any parsing
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) onEvent(JSON.parse(line) as unknown, at);
        }
      });
      res.on('end', () => { if (!w.ended) failures.push('watch: connection ended early'); w.ended = true; });
      resolve(w);
    });
    req.end();

    function onEvent(ev: unknown, at: number): void {
      const e = ev as { type?: string; object?: { metadata?: { name?: string }; data?: Record<string, string> } };
      if (e.type === 'ERROR') { failures.push(`watch: ERROR event ${JSON.stringify(e.object).slice(0, 200)}`); return; }
      if (e.type !== 'MODIFIED' || e.object?.metadata?.name !== name) return;
      const seq = Number(e.object.data?.seq);
      const sentAt = Number(e.object.data?.sentAt);
      if (!Number.isFinite(seq) || !Number.isFinite(sentAt)) return;
      if (w.seen.has(seq)) { failures.push(`watch: duplicate event seq ${seq}`); return; }
      w.seen.add(seq);
      latencies.push(at - sentAt);
    }
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function measureFanout(client: HttpsClient, o: FanoutOptions): Promise<FanoutResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  const collection = `/api/v1/namespaces/${o.namespace}/configmaps`;
  const path = `${collection}?watch=true&resourceVersion=${encodeURIComponent(o.resourceVersion)}`;
  const watchers = await Promise.all(Array.from({ length: o.watchers }, () => openWatcher(client.target, path, latencies, failures, o.name)));
  try {
    const t0 = performance.now();
    for (let i = 0; i < o.updates; i++) {
      await sleep(t0 + i * o.spacingMs - performance.now());
      const body = JSON.stringify({ data: { seq: String(i), sentAt: String(now()) } });
      const r = await client.send({ method: 'PATCH', path: `${collection}/${o.name}`, body, contentType: 'application/merge-patch+json' });
      if (r.status !== 200) failures.push(`PATCH ${o.name}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }
    const expected = o.watchers * o.updates;
    const deadline = performance.now() + o.drainMs;
    while (latencies.length < expected && performance.now() < deadline) await sleep(20);
    if (latencies.length < expected) failures.push(`watch: ${expected - latencies.length} of ${expected} events missing`);
    return { latenciesMs: latencies, expected, failures };
  } finally {
    for (const w of watchers) { w.ended = true; w.req.destroy(); }
  }
}

/** Nearest-rank percentile of unsorted samples (0 when empty). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
