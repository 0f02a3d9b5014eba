/**
 * host-gw pod routes: one `<podCIDR> via <InternalIP>` route per OTHER node, kept in sync with the
 * Node objects. Our routes carry `proto 77`, so `ip route show proto 77` lists exactly ours and
 * pruning never touches anyone else's. Level-based: every sync compares the desired set (from
 * the informer's cache) with the kernel's and fixes the difference; a periodic resync heals manual
 * changes. Runs in whatever network namespace the agent runs in. Routes stay when the agent stops
 * (a restart must not cut pod traffic); `removePodRoutes` deletes them all. Node objects are
 * written by the nodes themselves: only strict IPv4 CIDRs in network form and strict IPv4 unicast
 * gateways become routes, anything else is skipped and logged once (routes.ts is where they are used).
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { ListWatchInformer } from '../../control/client/informer.js';
import type { RestClient } from '../../control/client/rest-client.js';
import { sleep } from '../../control/util/abort.js';
import type { Runner } from '../../lib/exec/runner.js';
import { isMissing, networkToolRunner } from './network-tools.js';
import { isIPv4Network, parseIpv4 } from '../../control/util/ipv4.js';
import type { Runnable } from './runnable.js';

const NODES = findResource('', 'v1', 'nodes')!;
/** The routing protocol number that marks our host-gw routes (unassigned in rt_protos). */
export const ROUTE_PROTO = '77';

type NodeObj = Node & KubeObject;

export interface PodRoute { cidr: string; via: string }

/** A value of a Node that cannot become a route: the node, the field, the value. */
export interface SkippedRouteValue { node: string; field: string; value: unknown }
type Skip = (s: SkippedRouteValue) => void;

/** PURE. The routes this node wants: every other node's IPv4 podCIDR via its InternalIP. */
export function desiredPodRoutes(nodes: readonly Node[], nodeName: string, skip: Skip = () => undefined): PodRoute[] {
  const self = nodes.find((n) => n.metadata?.name === nodeName);
  const selfIP = self ? internalIP(self) : undefined;
  const selfCidrs = new Set(self ? podCidrs(self) : []);
  const out = new Map<string, PodRoute>();
  const sorted = [...nodes].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const n of sorted) {
    if (n.metadata?.name === nodeName) continue;
    const via = internalIP(n, skip);
    if (via === undefined || via === selfIP) continue;
    for (const cidr of podCidrs(n, skip)) if (!selfCidrs.has(cidr) && !out.has(cidr)) out.set(cidr, { cidr, via });
  }
  return [...out.values()];
}

/** A unicast gateway: not 0/8, loopback, link-local, multicast or reserved. */
function isGateway(ip: string): boolean {
  const n = parseIpv4(ip);
  if (n === undefined) return false;
  const a = Math.floor(n / 2 ** 24);
  const ab = Math.floor(n / 2 ** 16);
  return a !== 0 && a !== 127 && a < 224 && ab !== 169 * 256 + 254;
}

/** The first IPv4 InternalIP that can be a gateway; the ones before it that cannot are reported. */
function internalIP(n: Node, skip?: Skip): string | undefined {
  const addrs = n.status?.addresses ?? [];
  for (const [i, a] of addrs.entries()) {
    if (a.type !== 'InternalIP' || typeof a.address !== 'string' || a.address.includes(':')) continue;
    if (isGateway(a.address)) return a.address;
    skip?.({ node: n.metadata?.name ?? '', field: `status.addresses[${i}].address`, value: a.address });
  }
  return undefined;
}

function podCidrs(n: Node, skip?: Skip): string[] {
  const [field, all] = n.spec?.podCIDRs?.length ? ['spec.podCIDRs', n.spec.podCIDRs] : ['spec.podCIDR', n.spec?.podCIDR ? [n.spec.podCIDR] : []];
  return all.filter((c, i) => {
    if (c.includes(':')) return false; // IPv6 (or not an address at all): host-gw routes IPv4 only
    if (isIPv4Network(c)) return true;
    skip?.({ node: n.metadata?.name ?? '', field: field === 'spec.podCIDRs' ? `${field}[${i}]` : field, value: c });
    return false;
  });
}

/** PURE. Parses `ip -j -4 route show proto 77`. */
export function parseRoutes(json: string): PodRoute[] {
  if (json.trim() === '') return [];
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  const out: PodRoute[] = [];
  for (const r of parsed as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const { dst, gateway } = r as { dst?: unknown; gateway?: unknown };
    if (typeof dst !== 'string') continue;
    out.push({ cidr: dst.includes('/') ? dst : `${dst}/32`, via: typeof gateway === 'string' ? gateway : '' });
  }
  return out;
}

/** PURE. What to change so that `actual` becomes `desired`. */
export function planRoutes(desired: readonly PodRoute[], actual: readonly PodRoute[]): { replace: PodRoute[]; remove: string[] } {
  const have = new Map(actual.map((r) => [r.cidr, r.via]));
  const want = new Set(desired.map((r) => r.cidr));
  return {
    replace: desired.filter((r) => have.get(r.cidr) !== r.via),
    remove: [...have.keys()].filter((c) => !want.has(c)),
  };
}

export interface PodRoutesOptions {
  client: RestClient;
  nodeName: string;
  log: Logger;
  /** Default: the real `ip` in the current network namespace. */
  exec?: Runner;
  /** Full resync period (default 30 s). */
  resyncMs?: number;
  /** Coalesces bursts of Node events (default 100 ms). */
  debounceMs?: number;
  /** First retry delay after a failed sync, doubling to 30 s (default 500 ms). */
  retryBaseMs?: number;
}

export class PodRouteManager implements Runnable {
  readonly informer: ListWatchInformer<NodeObj>;
  private readonly exec: Runner;
  private readonly log: Logger;
  private wake?: () => void;
  private dirty = true;
  /** Skipped values already logged (each once while it stays). */
  private logged = new Set<string>();

  constructor(private readonly o: PodRoutesOptions) {
    this.exec = o.exec ?? networkToolRunner();
    this.log = o.log.child({ component: 'pod-routes' });
    this.informer = new ListWatchInformer<NodeObj>({ client: o.client, ri: NODES, log: this.log, retryDelayMs: 1000 });
    const kick = () => { this.dirty = true; this.wake?.(); };
    this.informer.on({ add: kick, update: (a, b) => { if (routeFacts(a) !== routeFacts(b)) kick(); }, delete: kick });
  }

  /** One level-based pass: read ours from the kernel, replace/delete the difference. */
  async sync(): Promise<{ replaced: number; removed: number }> {
    const now = new Set<string>();
    const desired = desiredPodRoutes(this.informer.cache.list(), this.o.nodeName, ({ node, field, value }) => {
      const id = `${node}\u0000${field}\u0000${JSON.stringify(value)}`;
      if (!this.logged.has(id) && !now.has(id)) this.log.warn({ node, field, value }, 'Skipped a node value that cannot be a route');
      now.add(id);
    });
    this.logged = now;
    const { stdout } = await this.exec.run('ip', ['-j', '-4', 'route', 'show', 'proto', ROUTE_PROTO]);
    const plan = planRoutes(desired, parseRoutes(stdout));
    const errors: unknown[] = [];
    for (const r of plan.replace) {
      await this.exec.run('ip', ['route', 'replace', r.cidr, 'via', r.via, 'proto', ROUTE_PROTO]).then(
        () => this.log.info({ cidr: r.cidr, via: r.via }, 'Set pod route'),
        (err: unknown) => { errors.push(err); });
    }
    for (const cidr of plan.remove) {
      await this.exec.run('ip', ['route', 'del', cidr, 'proto', ROUTE_PROTO]).then(
        () => this.log.info({ cidr }, 'Removed pod route'),
        (err: unknown) => { if (!isMissing(err)) errors.push(err); });
    }
    if (errors.length) throw new AggregateError(errors, `sync pod routes: ${errors.length} command(s) failed`);
    return { replaced: plan.replace.length, removed: plan.remove.length };
  }

  async run(signal: AbortSignal): Promise<void> {
    const informerDone = this.informer.run(signal);
    if (await this.informer.waitForSync(signal)) {
      let failures = 0;
      while (!signal.aborted) {
        this.dirty = false;
        const started = Date.now();
        try {
          const r = await this.sync();
          failures = 0;
          this.log.debug({ ...r, elapsedMs: Date.now() - started }, 'Synced pod routes');
        } catch (err) {
          failures++;
          this.log.warn({ err, failures }, 'Failed to sync pod routes');
        }
        if (failures) await sleep(Math.min(30_000, (this.o.retryBaseMs ?? 500) * 2 ** (failures - 1)), signal);
        else if (!this.dirty) await this.waitForKick(this.o.resyncMs ?? 30_000, signal);
        await sleep(this.o.debounceMs ?? 100, signal);
      }
    }
    await informerDone;
  }

  /** Resolves on a Node change, after `ms`, or when the signal aborts. */
  private waitForKick(ms: number, signal: AbortSignal): Promise<void> {
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.wake = onAbort;
    return sleep(ms, ac.signal).finally(() => {
      this.wake = undefined;
      signal.removeEventListener('abort', onAbort);
    });
  }
}

/** What about a Node matters to routing (updates that change none of it are ignored). */
function routeFacts(n: Node): string {
  return JSON.stringify([n.spec?.podCIDR, n.spec?.podCIDRs, internalIP(n)]);
}

/** Keeps this node's host-gw routes to every other node's podCIDR until the signal aborts. */
export function startPodRoutes(opts: PodRoutesOptions): Runnable {
  return new PodRouteManager(opts);
}

/** Deletes every route of ours (`proto 77`) in the main table. Idempotent. */
export async function removePodRoutes(exec: Runner = networkToolRunner()): Promise<void> {
  await exec.run('ip', ['-4', 'route', 'flush', 'proto', ROUTE_PROTO]);
}
