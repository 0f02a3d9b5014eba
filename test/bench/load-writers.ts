/**
 * The load run's writers: each owns a few ConfigMaps in one namespace and writes them in turn,
 * one write at a time (create with data.seq 0, then merge patches seq+1), pausing between writes.
 * Every write's latency is noted, and per object the last seq the server acknowledged; an object
 * whose write failed is written no more (its state is unknown) and the failure is reported.
 */
import { performance } from 'node:perf_hooks';
import type { HttpsClient } from './https-load.js';

export interface WriterOptions {
  writers: number;
  objectsPerWriter: number;
  /** Pause after each write (the writers' pace; 0 for a closed loop). */
  pauseMs: number;
  /** Namespace of writer i. */
  namespaceOf: (i: number) => string;
  /** A name prefix unique to this phase. */
  prefix: string;
}

export class LoadWriters {
  /** "namespace/name" -> the last acknowledged seq */
  readonly acked = new Map<string, number>();
  readonly latenciesMs: number[] = [];
  readonly failures: string[] = [];
  private stopped = false;
  private running: Promise<void>[] = [];

  constructor(private readonly client: HttpsClient, private readonly o: WriterOptions) {}

  /** Runs until stop(), or until each writer has made `maxWrites` writes. */
  start(maxWrites = Infinity): void {
    this.running = Array.from({ length: this.o.writers }, (_, w) => this.writer(w, maxWrites));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }

  /** Waits for the writers to reach their maxWrites. */
  done(): Promise<void> { return Promise.all(this.running).then(() => undefined); }

  /** Acknowledged seqs per object of one namespace (by name). */
  ackedIn(namespace: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, seq] of this.acked) if (key.startsWith(`${namespace}/`)) out.set(key.slice(namespace.length + 1), seq);
    return out;
  }

  private async writer(w: number, maxWrites: number): Promise<void> {
    const ns = this.o.namespaceOf(w);
    const collection = `/api/v1/namespaces/${ns}/configmaps`;
    const broken = new Set<number>();
    for (let i = 0; i < maxWrites && !this.stopped; i++) {
      const j = i % this.o.objectsPerWriter;
      if (broken.has(j)) continue;
      const name = `${this.o.prefix}-w${w}-o${j}`;
      const key = `${ns}/${name}`;
      const prev = this.acked.get(key);
      const seq = prev === undefined ? 0 : prev + 1;
      const call = prev === undefined
        ? { method: 'POST', path: collection, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { seq: String(seq), writer: String(w) } }) }
        : { method: 'PATCH', path: `${collection}/${name}`, body: JSON.stringify({ data: { seq: String(seq) } }), contentType: 'application/merge-patch+json' };
      const t0 = performance.now();
      try {
        const r = await this.client.send(call);
        const ms = performance.now() - t0;
        if (r.status === (prev === undefined ? 201 : 200)) {
          this.latenciesMs.push(ms);
          this.acked.set(key, seq);
        } else {
          broken.add(j);
          this.failures.push(`${call.method} ${key} seq ${seq}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
        }
      } catch (err) {
        broken.add(j);
        this.failures.push(`${call.method} ${key} seq ${seq}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (this.o.pauseMs > 0) await new Promise((r) => setTimeout(r, this.o.pauseMs));
    }
  }
}
