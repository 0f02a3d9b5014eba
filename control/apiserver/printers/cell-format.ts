import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';

/** Small formatters shared by the printers, each mirroring the upstream helper named in its comment. */

export const NONE = '<none>';

/** labels.FormatLabels: "k1=v1,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return NONE;
  return keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

/**
 * labels.Selector.String() of metav1.LabelSelectorAsSelector: requirements sorted by key,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; "" for a nil or empty selector.
 * Returns undefined for an invalid operator (upstream: a conversion error).
 */
export function selectorString(sel: LabelSelector | undefined): string | undefined {
  if (!sel) return '';
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In': reqs.push({ key: e.key, text: `${e.key} in (${values})` }); break;
      case 'NotIn': reqs.push({ key: e.key, text: `${e.key} notin (${values})` }); break;
      case 'Exists': reqs.push({ key: e.key, text: e.key }); break;
      case 'DoesNotExist': reqs.push({ key: e.key, text: `!${e.key}` }); break;
      default: return undefined;
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? NONE : s;
}

/** layoutContainerCells: container names and images, each comma-joined. */
export function containerCells(containers: readonly Container[] | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** printBoolPtr: "True" / "False" / "<unset>". */
export function boolPtr(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}

/** net.JoinHostPort: brackets around IPv6 hosts. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** listWithMoreString: "a,b,c + N more...", "<unset>" when empty. */
export function listWithMore(list: readonly string[], total: number, max: number): string {
  if (total > max) return `${list.slice(0, max).join(',')} + ${total - max} more...`;
  const joined = list.join(',');
  return joined === '' ? '<unset>' : joined;
}

export function firstNonEmpty(...values: Array<string | undefined>): string {
  return values.find((v) => v !== undefined && v !== '') ?? '';
}
