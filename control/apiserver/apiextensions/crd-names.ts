/**
 * The naming decision for a CRD (upstream's naming controller): its names are accepted unless
 * another CRD of the same group already holds one of them (plural, singular, short names as
 * resources; kind, listKind as kinds). PURE.
 */
import type { CustomResourceDefinition, CustomResourceDefinitionNames } from 'kubernetes-types/apiextensions/v1.js';

export interface NamesDecision {
  accepted: CustomResourceDefinitionNames;
  /** undefined when every name is accepted; else the condition's reason and message. */
  conflict?: { reason: string; message: string };
}

export function decideNames(crd: CustomResourceDefinition, others: readonly CustomResourceDefinition[]): NamesDecision {
  const names = crd.spec?.names ?? { plural: '', kind: '' };
  const group = crd.spec?.group;
  const taken = { resources: new Set<string>(), kinds: new Set<string>() };
  for (const o of others) {
    if (o.metadata?.name === crd.metadata?.name || o.spec?.group !== group) continue;
    const a = o.status?.acceptedNames;
    if (!a) continue;
    for (const n of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (n) taken.resources.add(n);
    for (const n of [a.kind, a.listKind]) if (n) taken.kinds.add(n);
  }
  const current = crd.status?.acceptedNames ?? { plural: '', kind: '' };
  const fail = (reason: string, message: string): NamesDecision => ({ accepted: current, conflict: { reason, message } });
  if (taken.resources.has(names.plural)) return fail('PluralConflict', `"${names.plural}" is already in use`);
  if (names.singular && taken.resources.has(names.singular)) return fail('SingularConflict', `"${names.singular}" is already in use`);
  for (const s of names.shortNames ?? []) if (taken.resources.has(s)) return fail('ShortNamesConflict', `"${s}" is already in use`);
  if (taken.kinds.has(names.kind)) return fail('KindConflict', `"${names.kind}" is already in use`);
  if (names.listKind && taken.kinds.has(names.listKind)) return fail('ListKindConflict', `"${names.listKind}" is already in use`);
  return { accepted: structuredClone(names) };
}
