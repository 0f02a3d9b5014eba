/**
 * The load run's watchers: raw HTTPS watch streams on one collection each, from a known
 * resourceVersion, resumed from the last one seen when the server ends a stream (as client-go does).
 * Each keeps, per object, the events it saw in order; the checks afterwards compare them with what
 * the writers had acknowledged and with the final state. An ERROR event (410 Gone included) is a gap.
 */
import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import type { Target } from './https-load.js';

/** One event as the watcher noted it. */
export interface SeenEvent { type: string; rv: number; seq?: number }

export class LoadWatcher {
  /** object name -> its events in arrival order */
  readonly seen = new Map<string, SeenEvent[]>();
  readonly failures: string[] = [];
  events = 0;
  private lastRv: string;
  private req?: ClientRequest;
  private stopped = false;
  private lastRvNumber = 0;
  /** After an ERROR event: the stream has a gap and is not resumed. */
  private broken = false;

  constructor(private readonly target: Target, readonly collection: string, fromRv: string, readonly label: string) {
    this.lastRv = fromRv;
    this.lastRvNumber = Number(fromRv);
  }

  start(): void { this.open(); }

  stop(): void {
    this.stopped = true;
    this.req?.destroy();
  }

  private fail(msg: string): void { if (this.failures.length < 20) this.failures.push(`${this.label}: ${msg}`); }

  private open(): void {
    if (this.stopped) return;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    const path = `${this.collection}?watch=true&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(this.lastRv)}`;
    const req = request({ host: this.target.host, port: this.target.port, path, headers, ca: this.target.ca, agent: false });
    this.req = req;
    req.on('error', (err) => {
      if (this.stopped) return;
      this.fail(`watch: ${err.message}`);
      setTimeout(() => this.open(), 200);
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) { this.fail(`watch: HTTP ${res.statusCode}`); res.resume(); return; }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) this.onEvent(JSON.parse(line) as WatchLine);
        }
      });
      res.on('end', () => { if (!this.stopped && !this.broken) this.open(); }); // the server's timeout: resume from the last resourceVersion
    });
    req.end();
  }

  private onEvent(ev: WatchLine): void {
    const md = ev.object?.metadata;
    if (ev.type === 'ERROR') { this.broken = true; this.fail(`ERROR event ${JSON.stringify(ev.object).slice(0, 200)}`); return; }
    const rvText = md?.resourceVersion ?? '';
    const rv = Number(rvText);
    if (!Number.isSafeInteger(rv)) { this.fail(`${ev.type} with resourceVersion ${rvText}`); return; }
    if (ev.type !== 'BOOKMARK' && rv <= this.lastRvNumber) this.fail(`${ev.type} ${md?.name} at ${rv} after ${this.lastRvNumber}: out of order or repeated`);
    this.lastRv = rvText;
    this.lastRvNumber = Math.max(this.lastRvNumber, rv);
    if (ev.type === 'BOOKMARK') return;
    const name = md?.name ?? '';
    const seqText = ev.object?.data?.seq;
    const list = this.seen.get(name) ?? [];
    list.push({ type: ev.type ?? '', rv, ...(seqText !== undefined ? { seq: Number(seqText) } : {}) });
    this.seen.set(name, list);
    this.events++;
  }

  /** The resourceVersion of the newest event seen. */
  get resourceVersion(): number { return this.lastRvNumber; }
}

interface WatchLine { type?: string; object?: { metadata?: { name?: string; resourceVersion?: string }; data?: Record<string, string> } }

/**
 * What a ConfigMap watcher must have seen: for each object, ADDED with seq 0 and then MODIFIED
 * with every acknowledged seq after it, in order, nothing else; no other object named with the
 * writers' prefix (others, like kube-root-ca.crt, are not the writers'). Returns the differences.
 */
export function checkSequences(w: LoadWatcher, acked: ReadonlyMap<string, number>, prefix: string): string[] {
  const out: string[] = [];
  for (const [name, last] of acked) {
    const evs = w.seen.get(name) ?? [];
    const want = Array.from({ length: last + 1 }, (_, i) => `${i === 0 ? 'ADDED' : 'MODIFIED'}:${i}`);
    const got = evs.map((e) => `${e.type}:${e.seq}`);
    if (got.join(',') !== want.join(',')) {
      const firstBad = want.findIndex((x, i) => got[i] !== x);
      out.push(`${w.label}: ${name}: saw ${got.length} events, want ${want.length}; first difference at #${firstBad === -1 ? want.length : firstBad}: got ${got[firstBad === -1 ? want.length : firstBad] ?? 'nothing'}, want ${want[firstBad] ?? 'nothing'}`);
    }
  }
  for (const name of w.seen.keys()) if (name.startsWith(prefix) && !acked.has(name)) out.push(`${w.label}: events for ${name}, which no writer acknowledged`);
  return out;
}

/** A pod watcher's last event for every pod must carry the pod's final resourceVersion. */
export function checkFinal(w: LoadWatcher, final: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const [name, rv] of final) {
    const evs = w.seen.get(name);
    const last = evs?.[evs.length - 1];
    if (!last) out.push(`${w.label}: no event for ${name}`);
    else if (last.rv !== rv) out.push(`${w.label}: ${name}: last event at ${last.rv}, the object is at ${rv}`);
  }
  return out;
}

/** Watchers of the same collection from the same resourceVersion must have seen the same events. */
export function checkAgree(ws: readonly LoadWatcher[]): string[] {
  const out: string[] = [];
  const byCollection = new Map<string, LoadWatcher[]>();
  for (const w of ws) byCollection.set(w.collection, [...(byCollection.get(w.collection) ?? []), w]);
  for (const group of byCollection.values()) {
    const [first, ...rest] = group;
    if (!first) continue;
    for (const w of rest) {
      for (const name of new Set([...first.seen.keys(), ...w.seen.keys()])) {
        const a = (first.seen.get(name) ?? []).map((e) => `${e.type}@${e.rv}`).join(',');
        const b = (w.seen.get(name) ?? []).map((e) => `${e.type}@${e.rv}`).join(',');
        if (a !== b) out.push(`${w.label} and ${first.label} disagree on ${name}: ${b.slice(0, 120)} vs ${a.slice(0, 120)}`);
      }
    }
  }
  return out;
}
