/**
 * Follows the benchmark's pods through one RestClient watch (re-opened from the last
 * resourceVersion if the server ends it) and stamps, per pod name, when each milestone was first
 * seen: bound to a node, first status from the node (hostIP), phase Running, deleted.
 */
import { performance } from 'node:perf_hooks';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../control/api/object.js';
import type { ResourceInfo } from '../../control/api/resources.js';
import type { RestClient } from '../../control/client/rest-client.js';
import type { Transport, TransportResponse } from '../../control/client/transport.js';
import type { Readable } from 'node:stream';

export type Milestone = 'bound' | 'nodeStatus' | 'running' | 'deleted';

/** Delegates to a transport and resolves `opened` when the first streaming call has its headers. */
export class SignallingTransport implements Transport {
  private resolveOpened!: () => void;
  readonly opened = new Promise<void>((r) => { this.resolveOpened = r; });

  constructor(private readonly inner: Transport) {}

  request(method: string, path: string, body?: Buffer, headers?: Record<string, string>): Promise<TransportResponse> {
    return this.inner.request(method, path, body, headers);
  }

  async stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: Readable }> {
    const r = await this.inner.stream(path, headers, signal);
    this.resolveOpened();
    return r;
  }
}

export class PodTracker {
  /** name → milestone → performance.now() when first seen. */
  readonly seen = new Map<string, Partial<Record<Milestone, number>>>();
  readonly errors: string[] = [];
  private waiters: Array<() => void> = [];
  private readonly ac = new AbortController();
  private done?: Promise<void>;

  constructor(private readonly client: RestClient, private readonly pods: ResourceInfo, private readonly namespace: string, private readonly labelSelector: string) {}

  /** Starts following from resourceVersion (events after it are replayed, so nothing is missed). */
  start(resourceVersion: string): void {
    this.done = this.follow(resourceVersion);
  }

  private async follow(rv: string): Promise<void> {
    while (!this.ac.signal.aborted) {
      try {
        for await (const ev of this.client.watch<Pod & KubeObject>(this.pods, this.namespace, { resourceVersion: rv, labelSelector: this.labelSelector, timeoutSeconds: 600 }, this.ac.signal)) {
          rv = ev.object.metadata?.resourceVersion ?? rv;
          if (ev.type !== 'BOOKMARK') this.observe(ev.type, ev.object);
        }
      } catch (err) {
        if (this.ac.signal.aborted) return;
        this.errors.push(`watch: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
    }
  }

  private observe(type: string, pod: Pod): void {
    const name = pod.metadata?.name;
    if (!name) return;
    const now = performance.now();
    const m = this.seen.get(name) ?? {};
    const mark = (k: Milestone): void => { if (m[k] === undefined) m[k] = now; };
    if (pod.spec?.nodeName) mark('bound');
    if (pod.status?.hostIP) mark('nodeStatus');
    if (pod.status?.phase === 'Running') mark('running');
    if (type === 'DELETED') mark('deleted');
    this.seen.set(name, m);
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  at(name: string, k: Milestone): number | undefined { return this.seen.get(name)?.[k]; }

  /** Resolves true once every name has reached the milestone, false at the deadline. */
  async waitAll(names: readonly string[], k: Milestone, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (names.every((n) => this.at(n, k) !== undefined)) return true;
      const left = deadline - performance.now();
      if (left <= 0 || this.errors.length > 0) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 1000));
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  async stop(): Promise<void> {
    this.ac.abort();
    await this.done;
  }
}
