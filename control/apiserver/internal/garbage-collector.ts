/**
 * Garbage collector (ownerReferences): deletes objects whose owners are all gone, drops dangling
 * references when some owners remain, runs foreground deletion (dependents first, then the
 * owner's foregroundDeletion finalizer) and orphaning (strip references, then the orphan finalizer).
 * Level-based: an index of every object by uid, rebuilt from one watch of /registry/, and a queue
 * of uids to look at. An API server internal, not a client-side controller: it runs on the handler
 * because it needs the store's one watch of every resource (upstream uses metadata informers).
 */
import { parseCustomResourceKey } from '../apiextensions/custom-resource-key.js';
import type { Logger } from 'pino';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { parseStorageKey } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { decodeKv } from '../registry/object-store.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, deleteObject } from '../registry/deleter.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';
import { WorkQueue } from '../../util/workqueue.js';

interface Node { ri: ResourceInfo; namespace?: string; name: string; obj: KubeObject }

export class GarbageCollector {
  private readonly byUid = new Map<string, Node>();
  /** owner uid -> dependent uids */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly queue = new WorkQueue<string>();

  constructor(private readonly opts: { handler: ResourceHandler; log: Logger }) {}

  async run(signal: AbortSignal): Promise<void> {
    const store = this.opts.handler.objects.raw;
    const initial = await store.list('/registry/');
    for (const kv of initial.items) this.observe(kv.key, decodeKv(kv));
    for (const uid of this.byUid.keys()) this.queue.add(uid);
    void this.watch(initial.revision, signal);
    await Promise.all([this.worker(signal), this.worker(signal)]);
  }

  private async watch(from: number, signal: AbortSignal): Promise<void> {
    const store = this.opts.handler.objects.raw;
    try {
      for await (const ev of store.watch('/registry/', from, signal)) {
        if (ev.type === 'delete') this.forget(ev.prev.key, decodeKv(ev.prev));
        else this.observe(ev.kv.key, decodeKv(ev.kv));
      }
    } catch (err) {
      if (!signal.aborted) this.opts.log.error({ err }, 'Garbage collector watch ended');
    }
  }

  private observe(key: string, obj: KubeObject): void {
    const where = parseStorageKey(key) ?? parseCustomResourceKey(key, obj);
    const uid = obj.metadata?.uid;
    if (!where || !uid) return;
    const old = this.byUid.get(uid);
    for (const r of old?.obj.metadata?.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(uid);
    // a dependent that dropped or unblocked its reference may let an owner in foreground deletion go
    if (old && JSON.stringify(old.obj.metadata?.ownerReferences ?? []) !== JSON.stringify(obj.metadata?.ownerReferences ?? [])) {
      for (const r of old.obj.metadata?.ownerReferences ?? []) this.queue.add(r.uid);
    }
    this.byUid.set(uid, { ...where, obj });
    for (const r of obj.metadata?.ownerReferences ?? []) {
      let set = this.dependents.get(r.uid);
      if (!set) this.dependents.set(r.uid, (set = new Set()));
      set.add(uid);
      this.queue.add(uid);
    }
    if (obj.metadata?.deletionTimestamp) this.queue.add(uid);
  }

  private forget(key: string, obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (!uid || !(parseStorageKey(key) ?? parseCustomResourceKey(key, obj))) return;
    this.byUid.delete(uid);
    for (const r of obj.metadata?.ownerReferences ?? []) {
      this.dependents.get(r.uid)?.delete(uid);
      this.queue.add(r.uid); // an owner waiting in foreground deletion may be done now
    }
    for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const uid = await this.queue.get(signal);
      if (uid === undefined) return;
      try {
        await this.reconcile(uid);
        this.queue.forget(uid);
      } catch (err) {
        if (!(isApiError(err) && err.code === 404)) this.opts.log.warn({ err, uid }, 'Failed to collect garbage; retrying');
        this.queue.addRateLimited(uid);
      } finally {
        this.queue.done(uid);
      }
    }
  }

  private scope(n: Node): Scope {
    return { ri: n.ri, namespace: n.namespace, name: n.name, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
  }

  private async reconcile(uid: string): Promise<void> {
    const n = this.byUid.get(uid);
    if (!n) return;
    const h = this.opts.handler;
    const md = n.obj.metadata ?? {};
    const finalizers = md.finalizers ?? [];
    if (md.deletionTimestamp && finalizers.includes(FINALIZER_ORPHAN)) {
      for (const dep of [...(this.dependents.get(uid) ?? [])]) await this.dropRefs(dep, (r) => r.uid === uid);
      await this.removeFinalizer(n, FINALIZER_ORPHAN);
      return;
    }
    if (md.deletionTimestamp && finalizers.includes(FINALIZER_FOREGROUND)) {
      const deps = [...(this.dependents.get(uid) ?? [])].map((d) => [d, this.byUid.get(d)] as const).filter((e): e is readonly [string, Node] => !!e[1]);
      let changed = false;
      for (const [depUid, d] of deps) {
        if (d.obj.metadata?.deletionTimestamp) continue;
        // upstream attemptToDeleteItem: a dependent with a solid owner (alive, not deleting its
        // dependents) stays; it only loses its references to dangling and waiting owners
        const solid = (d.obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid && this.ownerAlive(r, d) && !this.deletingDependents(r.uid));
        if (solid.length > 0) {
          await this.dropRefs(depUid, (r) => !solid.some((s) => s.uid === r.uid));
        } else {
          // a dependent of its own already deleting its dependents: an ownership cycle. Its
          // references stop blocking (upstream's unblockOwnerReferences), then it goes too
          if ([...(this.dependents.get(depUid) ?? [])].some((x) => this.deletingDependents(x))) await this.unblockRefs(depUid);
          await deleteObject(h, this.scope(d), { propagationPolicy: 'Foreground' });
        }
        changed = true;
      }
      if (changed) return; // the dependents' writes come back through the watch and queue us again
      const blocking = deps.filter(([, d]) => d.obj.metadata?.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
      if (blocking.length === 0) await this.removeFinalizer(n, FINALIZER_FOREGROUND);
      return;
    }
    const refs = md.ownerReferences ?? [];
    if (refs.length === 0 || md.deletionTimestamp) return;
    const missing = refs.filter((r) => !this.ownerAlive(r, n));
    if (missing.length === 0) return;
    if (missing.length < refs.length) {
      await this.dropRefs(uid, (r) => missing.some((m) => m.uid === r.uid));
      return;
    }
    // all owners gone; an owner in foreground deletion propagates foreground to us
    const fg = refs.some((r) => this.byUid.get(r.uid)?.obj.metadata?.finalizers?.includes(FINALIZER_FOREGROUND));
    this.opts.log.debug({ uid, name: n.name, resource: n.ri.resource }, 'Deleted object whose owners are gone');
    await deleteObject(h, this.scope(n), { propagationPolicy: fg ? 'Foreground' : 'Background' });
  }

  /** The object is being deleted in the foreground: it waits for its dependents. */
  private deletingDependents(uid: string): boolean {
    const md = this.byUid.get(uid)?.obj.metadata;
    return !!md?.deletionTimestamp && (md.finalizers ?? []).includes(FINALIZER_FOREGROUND);
  }

  private ownerAlive(ref: OwnerReference, dependent: Node): boolean {
    const owner = this.byUid.get(ref.uid);
    if (!owner) return false;
    // a namespaced owner must be in the dependent's namespace
    return owner.namespace === undefined || owner.namespace === dependent.namespace;
  }

  private async dropRefs(uid: string, drop: (r: OwnerReference) => boolean): Promise<void> {
    const n = this.byUid.get(uid);
    if (!n) return;
    await this.opts.handler.update(this.scope(n), (cur) => {
      const refs = (cur.metadata?.ownerReferences ?? []).filter((r) => !drop(r));
      return { ...cur, metadata: { ...cur.metadata, ownerReferences: refs.length > 0 ? refs : undefined, resourceVersion: undefined } };
    });
  }

  /** Sets blockOwnerDeletion false on every reference of the object. */
  private async unblockRefs(uid: string): Promise<void> {
    const n = this.byUid.get(uid);
    if (!n) return;
    await this.opts.handler.update(this.scope(n), (cur) => {
      const refs = (cur.metadata?.ownerReferences ?? []).map((r) => (r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r));
      return { ...cur, metadata: { ...cur.metadata, ownerReferences: refs, resourceVersion: undefined } };
    });
  }

  private async removeFinalizer(n: Node, finalizer: string): Promise<void> {
    await this.opts.handler.update(this.scope(n), (cur) => {
      const finalizers = (cur.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
      return { ...cur, metadata: { ...cur.metadata, finalizers: finalizers.length > 0 ? finalizers : undefined, resourceVersion: undefined } };
    });
  }
}
