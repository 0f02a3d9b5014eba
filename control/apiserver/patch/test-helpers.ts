/** Test-only helpers shared by the patch tests (kept free of vitest so the build may include it). */
import { isApiError } from '../../api/status.js';

/** Recursively freeze a JSON value so any mutation by the code under test throws. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/** Run `fn`, expect an ApiError, and return its status. */
export function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (err) {
    if (isApiError(err)) return err.status;
    throw err;
  }
  throw new Error('expected an ApiError');
}

/** Read a path from a JSON value: 'spec.list.0', or a list of keys when a key contains dots. */
export function at(value: unknown, path: string | readonly string[]): unknown {
  const keys = typeof path === 'string' ? (path === '' ? [] : path.split('.')) : path;
  return keys.reduce<unknown>(
    (node, k) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[k] : undefined), value);
}
