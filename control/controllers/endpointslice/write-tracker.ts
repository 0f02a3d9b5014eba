/**
 * Remembers the writes a controller made per key until its informer cache shows them (upstream's
 * endpointSliceTracker, by resourceVersion): planning from a cache that has not seen our own
 * create yet would create the same slice twice.
 */
import type { KubeObject } from '../../api/object.js';
import type { ObjectCache } from '../../client/cache.js';
import type { ObjectKey } from '../controller.js';

type Expectation = ({ rv: string } | { gone: true }) & { at?: number };
/** An expectation not met by then is dropped (the object changed or went away meanwhile). */
const EXPIRE_MS = 5000;

export class WriteTracker {
  private readonly pending = new Map<ObjectKey, Map<string, Expectation>>();

  wrote(key: ObjectKey, obj: KubeObject): void {
    this.expect(key, obj, { rv: obj.metadata?.resourceVersion ?? '' });
  }

  deleted(key: ObjectKey, obj: KubeObject): void {
    this.expect(key, obj, { gone: true });
  }

  /** True when the cache reflects every write made for `key` (those are then forgotten). */
  seenBy(key: ObjectKey, cache: ObjectCache<KubeObject>): boolean {
    const exp = this.pending.get(key);
    if (!exp) return true;
    for (const [objKey, e] of exp) {
      const cur = cache.get(objKey);
      const seen = 'gone' in e ? !cur : !!cur && newerOrEqual(cur.metadata?.resourceVersion ?? '', e.rv);
      if (seen || Date.now() - (e.at ?? 0) > EXPIRE_MS) exp.delete(objKey);
    }
    if (exp.size > 0) return false;
    this.pending.delete(key);
    return true;
  }

  private expect(key: ObjectKey, obj: KubeObject, e: Expectation): void {
    const objKey = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    let exp = this.pending.get(key);
    if (!exp) this.pending.set(key, (exp = new Map()));
    exp.set(objKey, { ...e, at: Date.now() });
  }
}

function newerOrEqual(cur: string, want: string): boolean {
  const a = Number(cur);
  const b = Number(want);
  return Number.isFinite(a) && Number.isFinite(b) ? a >= b : cur === want;
}
