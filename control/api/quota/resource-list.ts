/**
 * Quota arithmetic over resource lists (upstream quota.Add / LessThanOrEqual / Mask): names to
 * numbers in base units, and back to quantity strings for status.
 */
import { quantityOf } from '../quantity.js';

export type ResourceList = Record<string, number>;

/** Parse a JSON resource list (`{cpu: "500m"}`); unparseable entries are skipped (validation refuses them). */
export function parseResourceList(list: Readonly<Record<string, unknown>> | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(list ?? {})) {
    try {
      out[k] = quantityOf(v);
    } catch {
      // an invalid quantity never passed validation; nothing to count
    }
  }
  return out;
}

const round = (n: number): number => Math.round(n * 1e9) / 1e9;

export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = round((out[k] ?? 0) + v);
  return out;
}

/** Only the named resources. */
export function maskList(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (list[n] !== undefined) out[n] = list[n];
  return out;
}

const BINARY: ReadonlyArray<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

/** A canonical quantity string: "0", "3", "500m", "252Mi", "1500n". */
export function formatQuantity(n: number): string {
  if (n === 0) return '0';
  if (Number.isInteger(n)) {
    for (const [suffix, mult] of BINARY) if (Math.abs(n) >= mult && n % mult === 0) return `${n / mult}${suffix}`;
    return String(n);
  }
  const milli = round(n * 1000);
  if (Number.isInteger(milli)) return `${milli}m`;
  return `${Math.round(n * 1e9)}n`;
}

export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(list).sort()) out[k] = formatQuantity(list[k] ?? 0);
  return out;
}
