/**
 * PURE. crictl's client-side list filtering: --name/--namespace as unanchored regular expressions,
 * --id/--pod as ID prefixes, newest first, then --latest (1) or --last N.
 */
import type { Container, PodSandbox } from '../../cri/types.js';
import { UsageError } from '../flags.js';

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

export interface ListFilter {
  name?: string;
  namespace?: string;
  idPrefix?: string;
  latest?: boolean;
  last?: number;
}

export function regex(source: string | undefined, flag: string): RegExp | undefined {
  if (source === undefined || source === '') return undefined;
  try {
    return new RegExp(source);
  } catch {
    throw new UsageError(`invalid --${flag} regular expression "${source}"`);
  }
}

/** Newest first, then the --latest/--last cut. */
export function newestFirst<T extends { createdAt: number }>(items: readonly T[], f: ListFilter): T[] {
  const sorted = [...items].sort((a, b) => b.createdAt - a.createdAt);
  let n = sorted.length;
  if (f.latest === true) n = 1;
  if (f.last !== undefined && f.last > 0) n = f.last;
  return sorted.slice(0, n);
}

export function filterSandboxes(items: readonly PodSandbox[], f: ListFilter): PodSandbox[] {
  const name = regex(f.name, 'name');
  const ns = regex(f.namespace, 'namespace');
  return newestFirst(items.filter((s) => (name?.test(s.metadata.name) ?? true) && (ns?.test(s.metadata.namespace) ?? true)
    && (f.idPrefix === undefined || s.id.startsWith(f.idPrefix))), f);
}

export function filterContainers(items: readonly Container[], f: ListFilter & { podPrefix?: string; image?: string }): Container[] {
  const name = regex(f.name, 'name');
  const ns = regex(f.namespace, 'namespace');
  return newestFirst(items.filter((c) => (name?.test(c.metadata.name) ?? true) && (ns?.test(c.labels[POD_NAMESPACE_LABEL] ?? 'unknown') ?? true)
    && (f.idPrefix === undefined || c.id.startsWith(f.idPrefix))
    && (f.podPrefix === undefined || c.podSandboxId.startsWith(f.podPrefix))
    && (f.image === undefined || c.image.image === f.image || c.imageRef === f.image)), f);
}

/** `{ key: value }` when value is set, else `{}` (for optional fields under exactOptionalPropertyTypes). */
export function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
