/**
 * Small helpers over decoded JSON values shared by the three patch flavours.
 * Values are plain JSON (objects, arrays, strings, numbers, booleans, null).
 */

export type JsonObject = { [key: string]: unknown };

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const hasOwn = (o: JsonObject, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** An own property's value; never an inherited one such as `__proto__`. */
export const getOwn = (o: JsonObject, key: string): unknown => (hasOwn(o, key) ? o[key] : undefined);

/** Set an own property, safe for keys such as `__proto__` that plain assignment would misinterpret. */
export function setKey(o: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Deep copy of a JSON value (the inputs of a patch are never mutated). */
export const cloneJson = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** Structural equality of two JSON values (object key order is irrelevant). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The Go type name encoding/json would report for a JSON value (used in upstream-shaped messages). */
export function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}
