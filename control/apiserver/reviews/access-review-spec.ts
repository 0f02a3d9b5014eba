/**
 * The spec of the access reviews (authorization.k8s.io/v1 SubjectAccessReview,
 * SelfSubjectAccessReview, LocalSubjectAccessReview): upstream's validation
 * (pkg/apis/authorization/validation) and the authorization attributes a spec asks about
 * (upstream authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom).
 */
import type { FieldError } from '../../api/status.js';
import { GoRaw, goQuote, invalid } from '../../api/validation/field-errors.js';
import { isRecord } from '../../api/object.js';

export interface ResourceAttributes {
  namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string;
}
export interface NonResourceAttributes { path?: string; verb?: string }

/** SubjectAccessReviewSpec; a self review has only the two attribute sets. */
export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string; groups?: string[]; uid?: string; extra?: Record<string, string[]>;
}

/** What an access review asks the authorizer (the server's AuthorizationRequest). */
export type ReviewAttributes =
  | { kind: 'resource'; verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string }
  | { kind: 'nonResource'; verb: string; path: string };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Go's %#v of the internal struct (upstream passes it as the bad value). */
const goNonResourceAttributes = (n: NonResourceAttributes): GoRaw =>
  new GoRaw(`authorization.NonResourceAttributes{Path:${goQuote(str(n.path))}, Verb:${goQuote(str(n.verb))}}`);

/** The spec as sent: attribute sets only when they are objects (a typed decode has already refused other types). */
export function specOf(body: unknown): AccessReviewSpec {
  const spec = isRecord(body) && isRecord(body['spec']) ? body['spec'] : {};
  return spec as AccessReviewSpec;
}

/** upstream ValidateSelfSubjectAccessReviewSpec: exactly one of the two attribute sets. */
export function validateAttributeChoice(spec: AccessReviewSpec): FieldError[] {
  const errs: FieldError[] = [];
  const { resourceAttributes: ra, nonResourceAttributes: nra } = spec;
  if (ra && nra) errs.push(invalid('spec.nonResourceAttributes', goNonResourceAttributes(nra), 'cannot be specified in combination with resourceAttributes'));
  // upstream passes the (nil) nonResourceAttributes as the bad value
  if (!ra && !nra) errs.push(invalid('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  return errs;
}

/** upstream ValidateSubjectAccessReviewSpec: the choice, and a user or a group to ask about. */
export function validateSubjectSpec(spec: AccessReviewSpec): FieldError[] {
  const errs = validateAttributeChoice(spec);
  if (!spec.user && (spec.groups ?? []).length === 0) errs.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

/** LocalSubjectAccessReview: resource attributes in the review's own namespace, never non-resource ones. */
export function validateLocalSpec(spec: AccessReviewSpec, namespace: string): FieldError[] {
  const errs = validateSubjectSpec(spec);
  const ra = spec.resourceAttributes;
  if (ra && str(ra.namespace) !== namespace) errs.push(invalid('spec.resourceAttributes.namespace', str(ra.namespace), 'must match metadata.namespace'));
  if (spec.nonResourceAttributes) errs.push(invalid('spec.nonResourceAttributes', goNonResourceAttributes(spec.nonResourceAttributes), 'disallowed on this kind of request'));
  return errs;
}

/** The attributes the spec asks about ('' namespace, name and subresource: none). */
export function attributesOf(spec: AccessReviewSpec): ReviewAttributes {
  const ra = spec.resourceAttributes;
  if (!ra) return { kind: 'nonResource', verb: str(spec.nonResourceAttributes?.verb), path: str(spec.nonResourceAttributes?.path) };
  return {
    kind: 'resource', verb: str(ra.verb), group: str(ra.group), resource: str(ra.resource),
    ...(ra.subresource ? { subresource: ra.subresource } : {}),
    ...(ra.namespace ? { namespace: ra.namespace } : {}),
    ...(ra.name ? { name: ra.name } : {}),
  };
}
