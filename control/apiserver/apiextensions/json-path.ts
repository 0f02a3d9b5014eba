/**
 * The small JSONPath subset CRDs use in additionalPrinterColumns and the scale subresource:
 * `.a.b`, `.a[0].b`, `.a[*].b` and `.a[?(@.type=="Ready")].status`. PURE: the values found, in order.
 */
import { isRecord } from '../../api/object.js';

type Step = { key: string } | { index: number } | { all: true } | { filter: { key: string; value: string } };

export function parseJsonPath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([^=!<>\s]+)\s*==\s*["']([^"']*)["']\)\]/gy;
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < p.length && (m = re.exec(p))) {
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ filter: { key: m[3], value: m[4] ?? '' } });
    else steps.push({ all: true });
  }
  return re.lastIndex === p.length || p.length === 0 ? steps : undefined;
}

export function evalJsonPath(obj: unknown, path: string): unknown[] {
  const steps = parseJsonPath(path);
  if (!steps) return [];
  let cur: unknown[] = [obj];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('key' in s) { if (isRecord(v) && v[s.key] !== undefined) next.push(v[s.key]); }
      else if ('index' in s) { if (Array.isArray(v) && s.index < v.length) next.push(v[s.index]); }
      else if ('all' in s) { if (Array.isArray(v)) next.push(...v); }
      else if (Array.isArray(v)) next.push(...v.filter((x) => isRecord(x) && String(x[s.filter.key]) === s.filter.value));
    }
    cur = next;
  }
  return cur;
}

/** Sets the value at a path of plain keys (`.spec.replicas`); false when the path is not one. */
export function setJsonPath(obj: Record<string, unknown>, path: string, value: unknown): boolean {
  const steps = parseJsonPath(path);
  if (!steps || steps.length === 0 || !steps.every((s) => 'key' in s)) return false;
  let cur = obj;
  const keys = steps.map((s) => (s as { key: string }).key);
  for (const k of keys.slice(0, -1)) {
    if (!isRecord(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1] as string] = value;
  return true;
}
