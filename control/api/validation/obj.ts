/** Narrowing helpers for untyped JSON objects (validation and defaulting read raw request bodies). */
import { isRecord } from '../object.js';

export type Obj = Record<string, unknown>;

export const rec = (v: unknown): Obj | undefined => (isRecord(v) ? v : undefined);
export const recs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isRecord) : []);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** A map of string values (labels, selectors, data); non-string values are stringified. */
export function strMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = typeof val === 'string' ? val : JSON.stringify(val);
  return out;
}

/** Get `o[key]` as an object, creating `{}` when absent (for defaulting). */
export function ensure(o: Obj, key: string): Obj {
  const cur = o[key];
  if (isRecord(cur)) return cur;
  const created: Obj = {};
  o[key] = created;
  return created;
}

/** Set `o[key] = value` only when the key is absent (null counts as absent). */
export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** JSON-level deep equality (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
