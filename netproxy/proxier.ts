/**
 * Proxier: keeps the latest ProxyState and syncs it into iptables, kube-proxy style. setState is
 * debounced (at most one sync per minSyncIntervalMs; bursts coalesce). The first sync, every
 * syncPeriodMs, and the sync after a failure are full (all chains, stale TK- service chains found
 * with iptables-save); the others are partial: only changed services' chains plus the top-level
 * chains, with the chains of removed services and endpoints deleted at the end. A failed restore
 * logs the payload lines around the failing one and is retried, full, after syncPeriodMs.
 */
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { isDynamicChain, isServiceChain } from './chains.js';
import { isNetproxyError, linesAround } from './exec.js';
import { renderTables, serializeTables, serviceChainsOf } from './render.js';
import { declaredChains } from './rule-check.js';
import type { Conntrack, Iptables, ProxyState, RenderOptions, ServicePort } from './types.js';
import { servicePortKey, staleUdpFlows } from './udp-stale.js';

export interface ProxierOptions {
  iptables: Iptables;
  log: Logger;
  /** Mark, cluster and service CIDR (staleChains/onlyChains are the proxier's business). */
  render: Omit<RenderOptions, 'staleChains' | 'onlyChains'>;
  /** Minimum time between two syncs (kube-proxy minSyncPeriod); default 1 s. */
  minSyncIntervalMs?: number;
  /** Periodic full resync, and retry delay after a failure; default 30 s. */
  syncPeriodMs?: number;
  conntrack?: Conntrack;
  /** Where `netproxy_sync_proxy_rules_duration_seconds` goes. */
  registry?: Registry;
}

interface Applied { sp: ServicePort; fp: string; chains: readonly string[] }

export interface SyncResult { ok: boolean; full: boolean; chainsWritten: number; staleChains: number; elapsedMs: number }

const HISTOGRAM = 'netproxy_sync_proxy_rules_duration_seconds';
const FAILURES = 'netproxy_sync_proxy_rules_iptables_restore_failures_total';

export class Proxier {
  private state?: ProxyState;
  private needFullSync = true;
  /** What the last successful sync applied: service port key -> the object, its JSON and its per-service chains. */
  private applied = new Map<string, Applied>();
  private appliedPorts = new Map<string, ServicePort>();
  private appliedChains = new Set<string>();
  /** appliedChains is what the kernel has (false at start and after a failed sync). */
  private knowsKernel = false;
  /** Rules of the top-level chains as last applied ("table/chain" -> rules): unchanged ones stay out of partial syncs. */
  private appliedTop = new Map<string, string>();
  private lastSyncStart = -Infinity;
  private timer?: NodeJS.Timeout;
  private resyncTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private closed = false;
  private readonly minInterval: number;
  private readonly period: number;
  private readonly duration?: Histogram;
  private readonly failures?: Counter;
  lastResult?: SyncResult;

  constructor(private readonly o: ProxierOptions) {
    this.minInterval = o.minSyncIntervalMs ?? 1000;
    this.period = o.syncPeriodMs ?? 30_000;
    if (o.registry) {
      this.duration = (o.registry.getSingleMetric(HISTOGRAM) as Histogram | undefined) ?? new Histogram({
        name: HISTOGRAM, help: 'Time a sync of the proxy rules took (render + iptables-restore)', registers: [o.registry],
        buckets: [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384],
      });
      this.failures = (o.registry.getSingleMetric(FAILURES) as Counter | undefined) ?? new Counter({
        name: FAILURES, help: 'Failed iptables-restore runs of the proxy rules', registers: [o.registry],
      });
    }
  }

  /** Debounced: the sync runs at most once per minSyncIntervalMs; bursts coalesce into one. */
  setState(state: ProxyState): void {
    this.state = state;
    this.schedule();
  }

  /** Stops the timers (a running sync finishes). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.resyncTimer);
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    const delay = Math.max(0, this.lastSyncStart + this.minInterval - Date.now());
    this.timer = setTimeout(() => { this.timer = undefined; void this.sync(); }, delay);
  }

  /** Syncs now (serialized with a running sync, which then runs once more). Never throws. */
  async sync(): Promise<void> {
    if (this.running) { this.again = true; return this.running; }
    this.running = this.syncOnce().finally(() => { this.running = undefined; });
    await this.running;
    if (this.again && !this.closed) { this.again = false; this.schedule(); }
  }

  private async syncOnce(): Promise<void> {
    const state = this.state;
    if (!state) return;
    this.lastSyncStart = Date.now();
    const started = performance.now();
    const full = this.needFullSync;
    const ports = new Map(state.servicePorts.map((sp) => [servicePortKey(sp), sp]));
    const allChains = new Set<string>();
    const current = new Map<string, Applied>();
    const changed: string[] = [];
    for (const [key, sp] of ports) {
      const was = this.applied.get(key);
      // the same object (the state builder reuses unchanged ones) is the same service port
      let entry = was?.sp === sp ? was : undefined;
      if (!entry) {
        const fp = JSON.stringify(sp);
        entry = was?.fp === fp ? { ...was, sp } : { sp, fp, chains: serviceChainsOf(sp) };
        if (was?.fp !== fp) changed.push(key);
      }
      current.set(key, entry);
      for (const c of entry.chains) allChains.add(c);
    }
    let payload = '';
    let onlyChains: Set<string> | undefined;
    let stale: string[] = [];
    const top = new Map<string, string>();
    /** The NodePort range chains of this sync (they come and go like service chains). */
    let ranges: string[] = [];
    // a full sync ensures the jumps from the built-in chains while it reads and renders (the
    // tools run beside the render); they are in place before the restore
    const jumps = full ? this.o.iptables.ensureJumps() : undefined;
    jumps?.catch(() => undefined); // awaited below; a render failure must not leave it unhandled
    try {
      if (full) {
        // what is in the kernel: read once (leftovers of an earlier run) and after a failure;
        // a periodic resync after successful syncs knows it already
        const existing = this.knowsKernel ? this.appliedChains : declaredChains(await this.o.iptables.save('nat')).get('nat') ?? new Set<string>();
        stale = [...existing].filter((c) => isDynamicChain(c) && !allChains.has(c));
      } else {
        onlyChains = new Set(changed.flatMap((k) => current.get(k)?.chains ?? []));
        stale = [...this.appliedChains].filter((c) => !allChains.has(c));
      }
      const tables = renderTables(state, { ...this.o.render, onlyChains, staleChains: stale });
      ranges = [...tables.nat.keys()].filter((c) => isDynamicChain(c) && !isServiceChain(c));
      stale = tables.stale;
      for (const table of ['filter', 'nat'] as const) {
        for (const [c, rules] of tables[table]) if (!isServiceChain(c)) top.set(`${table}/${c}`, rules.join('\n'));
      }
      const omit = new Set<string>();
      if (!full) for (const [k, rules] of top) if (this.appliedTop.get(k) === rules) omit.add(k);
      payload = serializeTables(tables, omit);
      await jumps;
      if (payload.trim() !== '') await this.o.iptables.restore(payload); // nothing changed: nothing to restore
    } catch (err) {
      this.needFullSync = true;
      this.knowsKernel = false;
      this.failures?.inc();
      const line = isNetproxyError(err) ? err.line : undefined;
      this.o.log.error({ err, full, ...(line && payload ? { lines: linesAround(payload, line) } : {}) }, 'Failed to sync iptables rules');
      this.lastResult = { ok: false, full, chainsWritten: 0, staleChains: 0, elapsedMs: performance.now() - started };
      this.armResync();
      return;
    }
    const prevPorts = this.appliedPorts;
    this.applied = current;
    this.appliedPorts = ports;
    this.appliedChains = new Set([...allChains, ...ranges]);
    this.appliedTop = top;
    this.needFullSync = false;
    this.knowsKernel = true;
    const elapsedMs = performance.now() - started;
    this.duration?.observe(elapsedMs / 1000);
    this.lastResult = { ok: true, full, chainsWritten: onlyChains ? onlyChains.size : allChains.size, staleChains: stale.length, elapsedMs };
    this.o.log.debug({ ...this.lastResult, services: ports.size }, 'Synced iptables rules');
    this.armResync();
    await this.clearUdpFlows(prevPorts, ports);
  }

  /** The next full sync: periodic after success, the retry after a failure. */
  private armResync(): void {
    clearTimeout(this.resyncTimer);
    if (this.closed) return;
    this.resyncTimer = setTimeout(() => { this.needFullSync = true; this.schedule(); }, this.period);
    this.resyncTimer.unref?.();
  }

  private async clearUdpFlows(prev: ReadonlyMap<string, ServicePort>, next: ReadonlyMap<string, ServicePort>): Promise<void> {
    const ct = this.o.conntrack;
    if (!ct) return;
    for (const f of staleUdpFlows(prev, next)) {
      try {
        await ct.deleteFlows(f);
      } catch (err) {
        this.o.log.warn({ err, filter: f }, 'Failed to delete stale UDP conntrack entries');
      }
    }
  }
}
