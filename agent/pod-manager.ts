/**
 * The pods this node runs: from the API (an informer on spec.nodeName=<node>) and from static
 * manifests, one PodWorker each. On start it first rebuilds from the runtime: running containers
 * of known pods are adopted by their workers (never started twice), sandboxes of pods no longer
 * bound here are stopped and removed. Also answers PodLookup for the node API.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import { ListWatchInformer } from '../control/client/informer.js';
import type { RestClient } from '../control/client/rest-client.js';
import type { Runtime } from '../cri/types.js';
import { CONFIG_MIRROR_ANNOTATION, MANAGED_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from './labels.js';
import { admitPod, byCreation } from './admission.js';
import type { AdmissionNode, Rejection } from './admission.js';
import type { PodEventSink } from './image-puller.js';
import type { PodSyncer } from './pod-sync.js';
import { PodWorker } from './pod-worker.js';
import { loadPodRuntime } from './runtime-state.js';
import type { StatusWriter } from './status-writer.js';
import type { PodLookup } from './types.js';

const PODS = findResource('', 'v1', 'pods')!;
type PodObj = Pod & KubeObject;

export const isMirrorPod = (p: Pod): boolean => p.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;

export interface PodManagerOptions {
  client: RestClient;
  runtime: Runtime;
  syncer: PodSyncer;
  statusWriter: StatusWriter;
  nodeName: string;
  log: Logger;
  resyncMs: number;
  /**
   * The node as admission sees it (labels, allocatable); undefined while unknown (pods are then
   * refused InvalidNodeInfo, as the kubelet does). Without it every pod is admitted (tests).
   */
  admissionNode?(): AdmissionNode | undefined;
  /** Where a refused pod's Warning event goes. */
  events?: PodEventSink;
}

export class PodManager implements PodLookup {
  readonly informer: ListWatchInformer<PodObj>;
  private readonly workers = new Map<string, PodWorker>();
  private readonly staticUids = new Set<string>();
  private readonly launched = new WeakSet<PodWorker>();
  private readonly runs = new Set<Promise<void>>();
  /** Pods seen before the first list is in: admitted together, oldest first, by run(). */
  private readonly pending = new Map<string, { pod: Pod; fromApi: boolean }>();
  private signal?: AbortSignal;

  constructor(private readonly o: PodManagerOptions) {
    this.informer = new ListWatchInformer<PodObj>({ client: o.client, ri: PODS, fieldSelector: `spec.nodeName=${o.nodeName}`, log: o.log, retryDelayMs: 500 });
    this.informer.on({
      add: (p) => this.fromApi(p),
      update: (_old, p) => this.fromApi(p),
      delete: (p) => {
        if (isMirrorPod(p)) return;
        this.pending.delete(p.metadata?.uid ?? '');
        this.workers.get(p.metadata?.uid ?? '')?.remove();
      },
    });
  }

  /** The pods with a worker (uids), once the first list is in: what garbage collection keeps. */
  livePods(): ReadonlySet<string> | undefined { return this.signal ? new Set(this.workers.keys()) : undefined; }

  /** Start the informer, wait for it, clean up orphans from the runtime, then run workers. */
  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return; // informer.waitForSync never resolves on an already-aborted signal
    void this.informer.run(signal);
    if (!(await this.informer.waitForSync(signal))) return;
    for (const p of this.informer.cache.list()) this.fromApi(p);
    await this.admitPending();
    await this.cleanupOrphans();
    this.signal = signal;
    for (const w of this.workers.values()) this.launch(w);
    await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    await Promise.all(this.runs); // let syncs in flight finish before the caller tears down
  }

  /** Wake a pod's worker (PLEG, probes). */
  wake(uid: string): void { this.workers.get(uid)?.wake(); }

  /** A static pod appeared or changed. */
  upsertStatic(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    this.staticUids.add(uid);
    this.upsert(pod, false);
  }

  removeStatic(uid: string): void {
    this.staticUids.delete(uid);
    this.pending.delete(uid);
    this.workers.get(uid)?.remove();
  }

  /** The mirror pod of a static pod, from the informer cache. */
  mirrorOf(pod: Pod): PodObj | undefined {
    const m = this.informer.cache.get(`${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`);
    return m && isMirrorPod(m) ? m : undefined;
  }

  pods(): Pod[] { return [...this.workers.values()].map((w) => w.current); }

  private fromApi(p: PodObj): void {
    if (isMirrorPod(p)) {
      if (p.metadata?.deletionTimestamp) void this.deleteMirror(p);
      else { const s = [...this.workers.values()].find((w) => this.staticUids.has(w.uid) && w.current.metadata?.name === p.metadata?.name); s?.wake(); }
      return;
    }
    this.upsert(p, true);
  }

  private async deleteMirror(p: PodObj): Promise<void> {
    try {
      await this.o.client.delete(PODS, p.metadata?.namespace, p.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: p.metadata?.uid } });
    } catch (err) {
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) this.o.log.warn({ err }, 'Failed to delete mirror pod');
    }
  }

  private upsert(pod: Pod, fromApi: boolean): void {
    const uid = pod.metadata?.uid ?? '';
    const w = this.workers.get(uid);
    if (w) { w.update(pod); return; }
    if (!this.signal) { this.pending.set(uid, { pod, fromApi }); return; }
    this.addWorker(pod, fromApi, this.admit(pod));
  }

  /**
   * The pods found at start, in the kubelet's order: those the runtime already runs for (a
   * restarted agent never refuses its own pods), then the rest oldest first, each against those
   * admitted before it.
   */
  private async admitPending(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    let running = new Set<string>();
    try {
      const sandboxes = await this.o.runtime.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [MANAGED_LABEL]: 'true' } });
      running = new Set(sandboxes.map((s) => s.labels[POD_UID_LABEL] ?? s.metadata.uid));
    } catch (err) {
      this.o.log.warn({ err }, 'Failed to list sandboxes before admission; admitting every pod by creation time');
    }
    batch.sort((a, b) => byCreation(a.pod, b.pod));
    for (const { pod, fromApi } of batch) if (running.has(pod.metadata?.uid ?? '')) this.addWorker(pod, fromApi, undefined);
    for (const { pod, fromApi } of batch) if (!running.has(pod.metadata?.uid ?? '')) this.addWorker(pod, fromApi, this.admit(pod));
  }

  /** Upstream canAdmitPod against the active pods; undefined when the pod may run. Terminal or deleted pods are not checked. */
  private admit(pod: Pod): Rejection | undefined {
    if (!this.o.admissionNode) return undefined;
    const phase = pod.status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded' || pod.metadata?.deletionTimestamp) return undefined;
    const node = this.o.admissionNode();
    const active = [...this.workers.values()].filter((w) => !w.isTerminated()).map((w) => w.current);
    const r = node ? admitPod(pod, active, node) : { admit: false as const, reason: 'InvalidNodeInfo', message: 'Kubelet cannot get node info.' };
    if (r.admit) return undefined;
    const md = pod.metadata ?? {};
    this.o.log.info({ pod: `${md.namespace ?? 'default'}/${md.name ?? ''}`, podUid: md.uid, reason: r.reason }, 'Refused pod at admission');
    this.o.events?.event(pod as KubeObject, 'Warning', r.reason, r.message);
    return { reason: r.reason, message: r.message };
  }

  private addWorker(pod: Pod, fromApi: boolean, rejection: Rejection | undefined): void {
    const uid = pod.metadata?.uid ?? '';
    const md = pod.metadata ?? {};
    const worker = new PodWorker({
      pod, client: this.o.client, runtime: this.o.runtime, syncer: this.o.syncer, statusWriter: this.o.statusWriter,
      log: this.o.log.child({ pod: `${md.namespace ?? 'default'}/${md.name ?? ''}`, podUid: uid }), resyncMs: this.o.resyncMs,
      confirmDeletion: fromApi, rejection,
      statusTarget: fromApi ? undefined : (p) => {
        const m = this.mirrorOf(p);
        return m ? { namespace: m.metadata?.namespace ?? 'default', name: m.metadata?.name ?? '', current: m.status } : undefined;
      },
      onFinished: (u) => { if (this.workers.get(u) === worker) this.workers.delete(u); },
    });
    this.workers.set(uid, worker);
    this.launch(worker);
  }

  private launch(w: PodWorker): void {
    if (!this.signal || this.launched.has(w)) return;
    this.launched.add(w);
    const p = w.run(this.signal).finally(() => this.runs.delete(p));
    this.runs.add(p);
  }

  /**
   * Stop and remove sandboxes and containers of pods that are not bound here any more. Never
   * throws: a runtime that does not answer, or a leftover that cannot be stopped or removed, is
   * logged and left to garbage collection (it retries), and the workers start all the same.
   */
  private async cleanupOrphans(): Promise<void> {
    const known = new Set(this.workers.keys());
    let sandboxes;
    try {
      sandboxes = await this.o.runtime.listPodSandbox({ labelSelector: { [MANAGED_LABEL]: 'true' } });
    } catch (err) {
      this.o.log.warn({ err }, 'Failed to list sandboxes for orphan cleanup; garbage collection removes them later');
      return;
    }
    const orphans = new Map<string, Pod>();
    for (const s of sandboxes) {
      const uid = s.labels[POD_UID_LABEL] ?? s.metadata.uid;
      if (known.has(uid)) continue;
      orphans.set(uid, { metadata: { uid, name: s.labels[POD_NAME_LABEL] ?? s.metadata.name, namespace: s.labels[POD_NAMESPACE_LABEL] ?? s.metadata.namespace } });
    }
    for (const [uid, pod] of orphans) {
      const l = this.o.log.child({ podUid: uid, pod: `${pod.metadata?.namespace}/${pod.metadata?.name}` });
      l.info('Removing pod no longer bound here');
      try {
        await this.o.syncer.stopAll(pod, await loadPodRuntime(this.o.runtime, uid), 0);
        await this.o.syncer.removeAll(pod);
        await this.o.syncer.forget(pod);
      } catch (err) {
        l.warn({ err }, 'Failed to clean up pod no longer bound here; garbage collection retries it');
      }
    }
  }

  // ---- PodLookup ----

  async containerId(namespace: string, pod: string, container: string, opts: { previous?: boolean } = {}): Promise<string | undefined> {
    const list = await this.o.runtime.listContainers({ labelSelector: { [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: pod } });
    const uid = this.uidOf(namespace, pod);
    const mine = list.filter((c) => c.metadata.name === container && (uid === undefined || c.labels[POD_UID_LABEL] === uid))
      .sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
    return (opts.previous ? mine.find((c, i) => i > 0 && c.state === 'CONTAINER_EXITED') : mine[0])?.id;
  }

  async sandboxId(namespace: string, pod: string): Promise<string | undefined> {
    const uid = this.uidOf(namespace, pod);
    const list = await this.o.runtime.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: pod } });
    return list.filter((s) => uid === undefined || s.labels[POD_UID_LABEL] === uid).sort((a, b) => b.createdAt - a.createdAt)[0]?.id;
  }

  private uidOf(namespace: string, name: string): string | undefined {
    for (const w of this.workers.values()) {
      const md = w.current.metadata;
      if (md?.name === name && (md.namespace ?? 'default') === namespace) return md.uid;
    }
    return undefined;
  }
}
