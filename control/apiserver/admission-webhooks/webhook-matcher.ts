/**
 * Which webhooks a request goes to (upstream's rules.Matcher, namespace and object matchers):
 * operations, apiGroups, apiVersions, resources (`*`, `pods/*`, `*\/status`), scope, then the
 * namespaceSelector against the namespace's labels and the objectSelector against the old or new
 * object's labels. Pure functions; the namespace labels come from the caller.
 */
import type { RuleWithOperations } from 'kubernetes-types/admissionregistration/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { selectorMatches } from '../../api/validation/meta.js';
import type { WebhookAttributes } from './webhook-attributes.js';

/** The groups whose objects are never sent to webhooks (upstream's exempt admission configuration resources). */
export const EXEMPT_GROUP = 'admissionregistration.k8s.io';

export const isExempt = (a: Pick<WebhookAttributes, 'ri'>): boolean => a.ri.group === EXEMPT_GROUP;

/** RuleWithOperations with the fields kubernetes-types leaves out (they come from the embedded Rule). */
export type WebhookRule = RuleWithOperations & { resources?: string[]; scope?: string };

const has = (list: readonly string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

export function ruleMatches(rule: WebhookRule, a: WebhookAttributes): boolean {
  if (!has(rule.operations, a.operation) || !has(rule.apiGroups, a.ri.group) || !has(rule.apiVersions, a.ri.version)) return false;
  const resourceOk = (rule.resources ?? []).some((r) => {
    const slash = r.indexOf('/');
    const res = slash < 0 ? r : r.slice(0, slash);
    const sub = slash < 0 ? '' : r.slice(slash + 1);
    return (res === '*' || res === a.ri.resource) && (sub === '*' || sub === a.subresource);
  });
  if (!resourceOk) return false;
  const isNamespace = a.ri.group === '' && a.ri.resource === 'namespaces';
  switch (rule.scope ?? '*') {
    case 'Namespaced': return !isNamespace && !!a.namespace;
    case 'Cluster': return isNamespace || !a.namespace;
    default: return true;
  }
}

const isEmptySelector = (s: LabelSelector | undefined): boolean =>
  !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

/**
 * Whether the namespaceSelector lets the request through. Cluster-scoped objects other than
 * Namespaces always pass; a Namespace is matched on its own labels. `nsLabels` reads the request
 * namespace's labels (undefined when it does not exist).
 */
export async function namespaceMatches(selector: LabelSelector | undefined, a: WebhookAttributes,
  nsLabels: (ns: string) => Promise<Record<string, string> | undefined>): Promise<boolean> {
  if (isEmptySelector(selector)) return true;
  const isNamespace = a.ri.group === '' && a.ri.resource === 'namespaces';
  if (!isNamespace && !a.namespace) return true;
  const labels = isNamespace ? labelsOf(a.object ?? a.oldObject) : await nsLabels(a.namespace ?? '');
  return selectorMatches(selector, labels ?? {});
}

/** The objectSelector matches if it matches the new object or the old one. */
export function objectMatches(selector: LabelSelector | undefined, a: WebhookAttributes): boolean {
  if (isEmptySelector(selector)) return true;
  return [a.object, a.oldObject].some((o) => o !== undefined && selectorMatches(selector, labelsOf(o) ?? {}));
}

function labelsOf(o: KubeObject | undefined): Record<string, string> | undefined {
  return o?.metadata?.labels ?? undefined;
}
