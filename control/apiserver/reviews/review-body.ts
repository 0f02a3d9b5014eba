/**
 * What every review does with the body it is given before answering: upstream's decode checks
 * (apiVersion, kind, field types, unknown fields dropped), the namespace rule of a create
 * (upstream EnsureObjectNamespaceMatchesRequestNamespace), and the `metadata must be empty`
 * rule of the access reviews (a name, labels, … are refused; managedFields are ignored).
 */
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import type { FieldError } from '../../api/status.js';
import { GoRaw, goQuote, goStringMap, goStringSlice, invalid } from '../../api/validation/field-errors.js';
import type { CreateOnlyRequest } from '../routes/resources.js';
import type { ResourceHandler } from '../registry/resource-handler.js';

/** The body checked as any create's is, with metadata.namespace the request's (absent when cluster-scoped). */
export function checkedReview(handler: ResourceHandler, req: CreateOnlyRequest): KubeObject {
  const body = req.body;
  handler.checkBody({ ri: req.ri, namespace: req.namespace, dryRun: req.dryRun, fieldValidation: 'Ignore', warnings: [] }, body);
  const md: Record<string, unknown> = isRecord(body.metadata) ? { ...body.metadata } : {};
  if (req.ri.namespaced && req.namespace !== undefined) md['namespace'] = req.namespace; // empty or equal (checkBody refused others)
  else delete md['namespace'];
  return { ...body, metadata: md } as KubeObject;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

/** upstream's check that the review's ObjectMeta is the zero value (but for `allowed` keys). */
export function validateEmptyMetadata(review: KubeObject, allowed: readonly string[], detail: string): FieldError[] {
  const md = (isRecord(review.metadata) ? review.metadata : {}) as Record<string, unknown>;
  const set = Object.keys(md).filter((k) => k !== 'managedFields' && !allowed.includes(k) && !isEmpty(md[k]));
  return set.length === 0 ? [] : [invalid('metadata', goObjectMeta(md), detail)];
}

/** Go's %#v of metav1.ObjectMeta, for the fields a client can send (time fields as zero when absent). */
function goObjectMeta(md: Record<string, unknown>): GoRaw {
  const s = (k: string) => goQuote(typeof md[k] === 'string' ? md[k] : '');
  const strMap = (k: string) => (isRecord(md[k]) ? goStringMap(md[k] as Record<string, string>) : goStringMap(undefined)).text;
  const finalizers = Array.isArray(md['finalizers']) ? goStringSlice(md['finalizers'].map(String)).text : '[]string(nil)';
  return new GoRaw(`v1.ObjectMeta{Name:${s('name')}, GenerateName:${s('generateName')}, Namespace:${s('namespace')}, SelfLink:${s('selfLink')}, `
    + `UID:${s('uid')}, ResourceVersion:${s('resourceVersion')}, Generation:${typeof md['generation'] === 'number' ? md['generation'] : 0}, `
    + 'CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), '
    + `Labels:${strMap('labels')}, Annotations:${strMap('annotations')}, OwnerReferences:[]v1.OwnerReference(nil), Finalizers:${finalizers}, `
    + 'ManagedFields:[]v1.ManagedFieldsEntry(nil)}');
}
