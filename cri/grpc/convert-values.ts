/**
 * Scalar helpers shared by the CRI conversions. Canonical contract form: optional fields that hold
 * their proto default (0, '', false, empty list or map, empty object) are left out, so a contract
 * object survives contract → wire → contract unchanged. Times and sizes are numbers (ns, bytes) in
 * the contract and decimal strings on the wire (int64 above 2^53 loses only sub-µs precision).
 */
import type { Int64, Maybe, StrMap, WInt64Value } from './wire.js';

/** number → wire int64 (decimal string, what proto-loader decodes with longs: String). */
export const i64 = (n: number): string => BigInt(Math.trunc(n)).toString();
/** wire int64 (string or number; absent = 0) → number. */
export const num = (v: Maybe<Int64>): number => (v === null || v === undefined || v === '' ? 0 : Number(v));
export const optNum = (v: Maybe<Int64>): number | undefined => { const n = num(v); return n === 0 ? undefined : n; };
export const optI64 = (n: number | undefined): string | undefined => (n === undefined ? undefined : i64(n));
export const optStr = (v: Maybe<string>): string | undefined => (v === null || v === undefined || v === '' ? undefined : v);
export const optTrue = (v: Maybe<boolean>): true | undefined => (v === true ? true : undefined);
export const list = <T>(a: Maybe<readonly T[]>): T[] => (a ? [...a] : []);
export const optList = <T>(a: Maybe<readonly T[]>): T[] | undefined => (a && a.length > 0 ? [...a] : undefined);
export const strMap = (m: Maybe<StrMap>): Record<string, string> => ({ ...(m ?? {}) });
export const optMap = (m: Maybe<StrMap>): Record<string, string> | undefined => (m && Object.keys(m).length > 0 ? { ...m } : undefined);
/** Int64Value wrapper: presence matters (run_as_user 0 is root, not unset). */
export const wrap64 = (n: number | undefined): WInt64Value | undefined => (n === undefined ? undefined : { value: i64(n) });
export const unwrap64 = (w: Maybe<WInt64Value>): number | undefined => (w === null || w === undefined ? undefined : num(w.value));

/** Drops keys whose value is undefined; undefined when nothing is left (an empty optional object). */
export function compact<T extends object>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length > 0 ? (out as T) : undefined;
}
