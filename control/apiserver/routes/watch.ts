/**
 * WATCH of a collection: NDJSON events flushed one by one; replay from a resourceVersion, synthetic
 * ADDED events for a fresh watch, selector transitions (ADDED when an object starts matching,
 * DELETED when it stops), 410 Expired as an ERROR event, timeoutSeconds, Table-typed events.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { ApiError, badRequest, expired, genericFailure } from '../../api/status.js';
import type { ObjectStore } from '../registry/object-store.js';
import { objectFilter } from '../http/filters.js';
import type { ObjectPredicate } from '../http/filters.js';
import { q, qInt } from './query.js';
import type { Query } from './query.js';

export type EventRenderer = (type: string, obj: KubeObject, first: boolean) => unknown;

export interface WatchRequest {
  objects: ObjectStore;
  ri: ResourceInfo;
  namespace?: string;
  query: Query;
  res: ServerResponse;
  render: EventRenderer;
  log: Logger;
  /** Upper bound when the client gives no timeoutSeconds (upstream: 30–60 min). */
  defaultTimeoutSeconds?: number;
}

/** Validate and parse before the response starts, so errors can still be a normal Status reply. */
export function parseWatchStart(query: Query): number | undefined {
  const rv = q(query, 'resourceVersion');
  if (rv === undefined || rv === '' || rv === '0') return undefined;
  const n = Number(rv);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
  return n;
}

/** Every check that can refuse a watch; run it before the reply is hijacked, while a 400 can still be sent. */
export function checkWatchRequest(kind: string, query: Query): void {
  objectFilter(kind, q(query, 'labelSelector'), q(query, 'fieldSelector'));
  parseWatchStart(query);
  qInt(query, 'timeoutSeconds');
}

export async function serveWatch(w: WatchRequest): Promise<void> {
  const { objects, ri, namespace, query, res } = w;
  const filter = objectFilter(ri.kind, q(query, 'labelSelector'), q(query, 'fieldSelector'));
  const start = parseWatchStart(query);
  const timeoutSeconds = qInt(query, 'timeoutSeconds') ?? w.defaultTimeoutSeconds ?? 1800 + Math.floor(Math.random() * 1800);

  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutSeconds * 1000);
  res.on('close', () => ac.abort());
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let first = true;
  const send = (type: string, obj: KubeObject): void => {
    res.write(JSON.stringify({ type, object: w.render(type, obj, first) }) + '\n');
    first = false;
  };
  try {
    let from = start;
    if (from === undefined) {
      const current = await objects.list(ri, namespace);
      for (const obj of current.items) if (!filter || filter(obj)) send('ADDED', obj);
      from = current.revision;
    } else {
      const compacted = await objects.raw.compactRevision();
      if (from < compacted) throw expired(`too old resource version: ${from} (${compacted})`);
    }
    for await (const ev of objects.watch(ri, namespace, from, ac.signal)) {
      const out = classify(ev.type, ev.object, ev.prev, filter);
      if (out) send(out, ev.object);
    }
  } catch (err) {
    if (!ac.signal.aborted) {
      const status = err instanceof ApiError ? err.status : undefined;
      if (!status) w.log.error({ err }, 'Watch failed');
      res.write(JSON.stringify({ type: 'ERROR', object: status ?? genericFailure(500, 'watch failed').status }) + '\n');
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
    res.end();
  }
}

function classify(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject, prev: KubeObject | undefined, filter: ObjectPredicate | undefined): string | undefined {
  if (!filter) return type;
  const now = filter(obj);
  if (type === 'ADDED') return now ? 'ADDED' : undefined;
  if (type === 'DELETED') return now ? 'DELETED' : undefined;
  const before = prev ? filter(prev) : false;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}
