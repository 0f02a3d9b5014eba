/**
 * Whether one set of rules covers another (upstream rbac/validation Covers, BreakdownRule,
 * ruleCovers), and upstream's compaction and compact text of the rules that are missing, as the
 * escalation check and the bootstrap-policy reconciliation use them.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';

const has = (set: readonly string[] | undefined, v: string): boolean => (set ?? []).includes(v);
const hasAll = (set: readonly string[] | undefined, vs: readonly string[] | undefined): boolean => (vs ?? []).every((v) => has(set, v));

/** PURE. One rule per group × resource × verb (× name), and per URL × verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        const base = { apiGroups: [group], resources: [resource], verbs: [verb] };
        if ((rule.resourceNames ?? []).length > 0) for (const n of rule.resourceNames ?? []) out.push({ ...base, resourceNames: [n] });
        else out.push(base);
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function resourceCoversAll(set: readonly string[] | undefined, covers: readonly string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true;
  return (covers ?? []).every((path) => {
    if (has(set, path)) return true;
    const slash = path.indexOf('/');
    return slash >= 0 && has(set, `*/${path.slice(slash + 1)}`);
  });
}

const urlCovers = (owner: string, requested: string): boolean =>
  owner === requested || (owner.endsWith('*') && requested.startsWith(owner.replace(/\*+$/, '')));

/** PURE. upstream ruleCovers: whether `owner` grants everything `sub` (a broken-down rule) does. */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((u) => (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, u)));
  const subNames = sub.resourceNames ?? [];
  const ownerNames = owner.resourceNames ?? [];
  const names = subNames.length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, subNames);
  return verbs && groups && resources && names && urls;
}

/** PURE. The broken-down rules of `servant` that no rule of `owner` covers (empty when covered). */
export function uncovered(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of servant) for (const sub of breakdownRule(rule)) if (!owner.some((o) => ruleCovers(o, sub))) missing.push(sub);
  return missing;
}

/** PURE. upstream CompactRules: simple one-group, one-resource (at most one name) rules merged by verb. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const names = r.resourceNames ?? [];
    const isSimple = names.length <= 1 && (r.nonResourceURLs ?? []).length === 0 && (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1;
    if (!isSimple) { out.push(r); continue; }
    const key = JSON.stringify([r.apiGroups?.[0], r.resources?.[0], names[0] ?? null]);
    const had = simple.get(key);
    if (had) had.verbs = [...had.verbs, ...r.verbs];
    else simple.set(key, structuredClone(r));
  }
  return [...out, ...simple.values()];
}

const goQuoteList = (a: readonly string[]): string => `[${a.map((s) => JSON.stringify(s)).join(' ')}]`;

/** PURE. upstream CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoteList(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoteList(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoteList(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoteList(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${goQuoteList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

export { goQuoteList };
