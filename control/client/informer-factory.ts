/** One shared informer per resource, so every controller reads the same cache. */
import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.js';
import type { ResourceInfo } from '../api/resources.js';
import { ListWatchInformer } from './informer.js';
import type { Informer } from './informer.js';
import type { RestClient } from './rest-client.js';

export class InformerFactory {
  private readonly informers = new Map<string, ListWatchInformer>();
  private started?: AbortSignal;

  constructor(private readonly o: { client: RestClient; log: Logger; retryDelayMs?: number }) {}

  for<T extends KubeObject = KubeObject>(ri: ResourceInfo): Informer<T> {
    const key = `${ri.group}/${ri.resource}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new ListWatchInformer({ client: this.o.client, ri, log: this.o.log, retryDelayMs: this.o.retryDelayMs });
      this.informers.set(key, inf);
      if (this.started) void inf.run(this.started);
    }
    return inf as unknown as Informer<T>;
  }

  /** Run every informer made so far (and any made later) until the signal aborts. */
  start(signal: AbortSignal): void {
    this.started = signal;
    for (const inf of this.informers.values()) void inf.run(signal);
  }

  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }
}
