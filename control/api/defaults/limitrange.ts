/**
 * LimitRange defaulting (upstream SetDefaults_LimitRangeItem): a Container item's default limit
 * falls back to its max, its default request to the default limit, then to its min.
 */
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1.js';

export function defaultLimitRangeItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== 'Container') return item;
  const def: Record<string, string> = { ...(item.default ?? {}) };
  const defReq: Record<string, string> = { ...(item.defaultRequest ?? {}) };
  for (const [k, v] of Object.entries(item.max ?? {})) def[k] ??= v;
  for (const [k, v] of Object.entries(def)) defReq[k] ??= v;
  for (const [k, v] of Object.entries(item.min ?? {})) defReq[k] ??= v;
  return {
    ...item,
    ...(Object.keys(def).length ? { default: def } : {}),
    ...(Object.keys(defReq).length ? { defaultRequest: defReq } : {}),
  };
}

export function defaultLimitRange(obj: Record<string, unknown>): void {
  const lr = obj as LimitRange;
  if (Array.isArray(lr.spec?.limits)) lr.spec.limits = lr.spec.limits.map((i) => defaultLimitRangeItem(i));
}
