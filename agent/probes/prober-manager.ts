/**
 * Runs liveness, readiness and startup probes for running containers (kubelet's prober manager):
 * one timer loop per container and probe kind, thresholds applied, results kept per container id.
 * A changed result wakes the pod's worker; the worker acts (kills on liveness/startup failure,
 * reports Ready from readiness). Until the startup probe succeeds the other two do not run.
 */
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../../control/api/object.js';
import type { Runtime } from '../../cri/types.js';
import type { PodEventSink } from '../image-puller.js';
import { execProbe } from './exec.js';
import { httpProbe } from './http.js';
import { tcpProbe } from './tcp.js';
import type { ProbeResult } from './types.js';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';
export interface RunningContainer { name: string; containerId: string; startedAtMs: number }

export interface ProberManagerOptions {
  runtime: Runtime;
  events: PodEventSink;
  log: Logger;
  /** The length of a probe "second" (periodSeconds, initialDelaySeconds…); tests shorten it. */
  secondMs?: number;
  onChange(podUid: string): void;
}

interface Worker { key: string; timer?: NodeJS.Timeout; stopped: boolean }

export class ProberManager {
  private readonly workers = new Map<string, Worker>();
  private readonly byPod = new Map<string, Set<string>>();
  private readonly ready = new Map<string, boolean>();
  private readonly started = new Map<string, boolean>();
  private readonly failed = new Map<string, ProbeKind>();
  private readonly podIPs = new Map<string, string>();

  constructor(private readonly o: ProberManagerOptions) {}

  private get sec(): number { return this.o.secondMs ?? 1000; }

  /** True when the container has no readiness probe, else its last readiness result. */
  isReady(containerId: string): boolean { return this.ready.get(containerId) ?? true; }
  isStarted(containerId: string): boolean { return this.started.get(containerId) ?? true; }
  /** The probe that decided the container must be restarted, if any. */
  mustRestart(containerId: string): ProbeKind | undefined { return this.failed.get(containerId); }

  /** Match the probe workers of a pod to its running containers (called after every sync). */
  update(pod: Pod, running: RunningContainer[], podIP: string): void {
    const uid = pod.metadata?.uid ?? '';
    this.podIPs.set(uid, podIP);
    const want = new Set<string>();
    const specs = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c]));
    for (const rc of running) {
      const spec = specs.get(rc.name);
      if (!spec) continue;
      const kinds: Array<[ProbeKind, Probe | undefined]> = [['Startup', spec.startupProbe], ['Liveness', spec.livenessProbe], ['Readiness', spec.readinessProbe]];
      for (const [kind, probe] of kinds) {
        if (!probe) continue;
        const key = `${rc.containerId}/${kind}`;
        want.add(key);
        if (this.workers.has(key)) continue;
        if (kind === 'Readiness' && !this.ready.has(rc.containerId)) this.ready.set(rc.containerId, false);
        if (kind === 'Startup' && !this.started.has(rc.containerId)) this.started.set(rc.containerId, false);
        this.start(pod, spec, rc, kind, probe, key);
      }
    }
    for (const key of this.byPod.get(uid) ?? []) if (!want.has(key)) this.stop(key);
    this.byPod.set(uid, want);
  }

  removePod(uid: string): void {
    for (const key of this.byPod.get(uid) ?? []) this.stop(key);
    this.byPod.delete(uid);
    this.podIPs.delete(uid);
  }

  private stop(key: string): void {
    const w = this.workers.get(key);
    if (!w) return;
    w.stopped = true;
    clearTimeout(w.timer);
    this.workers.delete(key);
    const id = key.slice(0, key.lastIndexOf('/'));
    if (![...this.workers.keys()].some((k) => k.startsWith(`${id}/`))) {
      this.ready.delete(id); this.started.delete(id); this.failed.delete(id);
    }
  }

  private start(pod: Pod, spec: Container, rc: RunningContainer, kind: ProbeKind, probe: Probe, key: string): void {
    const uid = pod.metadata?.uid ?? '';
    const w: Worker = { key, stopped: false };
    this.workers.set(key, w);
    let successes = 0;
    let failures = 0;
    const period = (probe.periodSeconds ?? 10) * this.sec;
    const tick = async () => {
      if (w.stopped) return;
      if (kind !== 'Startup' && this.started.get(rc.containerId) === false) { schedule(period); return; }
      const r = await this.run(pod, spec, rc.containerId, probe);
      if (w.stopped) return;
      if (r.ok) { successes++; failures = 0; } else { failures++; successes = 0; }
      if (!r.ok) this.o.events.event(pod as KubeObject, 'Warning', 'Unhealthy', `${kind} probe failed: ${r.output.trim()}`);
      if (r.ok && successes >= (kind === 'Readiness' ? probe.successThreshold ?? 1 : 1)) this.set(kind, rc.containerId, true, uid);
      if (!r.ok && failures >= (probe.failureThreshold ?? 3)) {
        this.set(kind, rc.containerId, false, uid);
        if (kind !== 'Readiness') return; // the container is about to be killed; this worker is done
      }
      if (kind === 'Startup' && this.started.get(rc.containerId)) return;
      schedule(period);
    };
    const schedule = (ms: number) => {
      if (w.stopped) return;
      w.timer = setTimeout(() => { void tick().catch((err: unknown) => this.o.log.warn({ err, key }, 'Probe failed to run')); }, ms);
      w.timer.unref();
    };
    const delay = Math.max(0, rc.startedAtMs + (probe.initialDelaySeconds ?? 0) * this.sec - Date.now());
    schedule(delay);
  }

  private set(kind: ProbeKind, id: string, ok: boolean, uid: string): void {
    let changed = false;
    if (kind === 'Readiness') { changed = this.ready.get(id) !== ok; this.ready.set(id, ok); }
    else if (kind === 'Startup' && ok) { changed = this.started.get(id) !== true; this.started.set(id, true); }
    else if (!ok) { changed = !this.failed.has(id); this.failed.set(id, kind); }
    if (changed) this.o.onChange(uid);
  }

  private run(pod: Pod, spec: Container, containerId: string, p: Probe): Promise<ProbeResult> {
    const timeout = p.timeoutSeconds ?? 1;
    const podIP = this.podIPs.get(pod.metadata?.uid ?? '') ?? '';
    const port = (v: number | string): number => typeof v === 'number' ? v : Number(spec.ports?.find((x) => x.name === v)?.containerPort ?? v);
    if (p.exec) return execProbe(this.o.runtime, containerId, p.exec.command ?? [], timeout);
    if (p.httpGet) {
      return httpProbe({ host: p.httpGet.host || podIP, port: port(p.httpGet.port), path: p.httpGet.path ?? '/', headers: p.httpGet.httpHeaders,
        timeoutSeconds: timeout * this.sec / 1000, ...(p.httpGet.scheme ? { scheme: p.httpGet.scheme } : {}) });
    }
    if (p.tcpSocket) return tcpProbe(p.tcpSocket.host || podIP, port(p.tcpSocket.port), timeout * this.sec / 1000);
    return Promise.resolve({ ok: true, output: '' }); // grpc probes: not supported, treated as passing
  }
}
