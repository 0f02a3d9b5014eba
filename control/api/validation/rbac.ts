/**
 * rbac.authorization.k8s.io/v1 validation, upstream's pkg/apis/rbac/validation: names are path
 * segments; rules need verbs, resource rules API groups and resources, non-resource URLs only in
 * ClusterRoles and never beside resources; roleRef names the RBAC group and a Role or ClusterRole
 * (a ClusterRoleBinding only a ClusterRole) and never changes; subjects are Users, Groups (RBAC
 * group) or ServiceAccounts (core group, a namespace in ClusterRoleBindings). Call after
 * defaultRbac (subject and roleRef apiGroups, as upstream's v1 defaults).
 */
import type { FieldError } from '../status.js';
import { GoRaw, goQuote, goStringSlice, invalid, notSupported, required } from './field-errors.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import type { NameFn } from './names.js';
import { list, rec, recs, str, type Obj } from './obj.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** upstream path.IsValidPathSegmentName. */
export const pathSegmentName: NameFn = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
};

const strs = (v: unknown): string[] => list(v).map(str);

function validateRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (strs(rule['verbs']).length === 0) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = strs(rule['nonResourceURLs']);
  if (urls.length > 0) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, goStringSlice(urls), 'namespaced rules cannot apply to non-resource URLs'));
    if (strs(rule['apiGroups']).length > 0 || strs(rule['resources']).length > 0 || strs(rule['resourceNames']).length > 0) {
      errs.push(invalid(`${path}.nonResourceURLs`, goStringSlice(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (strs(rule['apiGroups']).length === 0) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (strs(rule['resources']).length === 0) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRoleLike(o: Obj, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(rec(o['metadata']), { namespaced, nameFn: pathSegmentName });
  recs(o['rules']).forEach((r, i) => errs.push(...validateRule(r, namespaced, `rules[${i}]`)));
  const agg = rec(o['aggregationRule']);
  if (!namespaced && agg) {
    const selectors = recs(agg['clusterRoleSelectors']);
    if (selectors.length === 0) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errs;
}

function validateSubject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s['name']);
  const apiGroup = str(s['apiGroup']);
  if (!name) errs.push(required(`${path}.name`));
  switch (str(s['kind'])) {
    case 'ServiceAccount':
      if (name) errs.push(...nameIsDNSSubdomain(name, false).map((m) => invalid(`${path}.name`, name, m)));
      if (apiGroup) errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !str(s['namespace'])) errs.push(required(`${path}.namespace`));
      break;
    case 'User': case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, str(s['kind']), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(o: Obj, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(rec(o['metadata']), { namespaced, nameFn: pathSegmentName });
  const ref = rec(o['roleRef']) ?? {};
  if (str(ref['apiGroup']) !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', str(ref['apiGroup']), [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref['kind']))) errs.push(notSupported('roleRef.kind', str(ref['kind']), kinds));
  const name = str(ref['name']);
  if (!name) errs.push(required('roleRef.name'));
  else errs.push(...pathSegmentName(name, false).map((m) => invalid('roleRef.name', name, m)));
  recs(o['subjects']).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

/** Go's %#v of the internal RoleRef, the bad value of a changed roleRef. */
function goRoleRef(ref: Obj | undefined): GoRaw {
  const r = ref ?? {};
  return new GoRaw(`rbac.RoleRef{APIGroup:${goQuote(str(r['apiGroup']))}, Kind:${goQuote(str(r['kind']))}, Name:${goQuote(str(r['name']))}}`);
}

function sameRef(a: Obj | undefined, b: Obj | undefined): boolean {
  return ['apiGroup', 'kind', 'name'].every((k) => str(a?.[k]) === str(b?.[k]));
}

const roleLike = (namespaced: boolean) => (o: Obj, old?: Obj): FieldError[] => [
  ...validateRoleLike(o, namespaced),
  ...(old ? validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata'])) : []),
];

const bindingLike = (namespaced: boolean) => (o: Obj, old?: Obj): FieldError[] => {
  const errs = validateBinding(o, namespaced);
  if (!old) return errs;
  errs.push(...validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata'])));
  if (!sameRef(rec(o['roleRef']), rec(old['roleRef']))) errs.push(invalid('roleRef', goRoleRef(rec(o['roleRef'])), 'cannot change roleRef'));
  return errs;
};

export const validateRole = roleLike(true);
export const validateClusterRole = roleLike(false);
export const validateRoleBinding = bindingLike(true);
export const validateClusterRoleBinding = bindingLike(false);

/** upstream v1 defaults: roleRef.apiGroup and User/Group subjects' apiGroup are the RBAC group. */
export function defaultRbac(o: Obj): void {
  const ref = rec(o['roleRef']);
  if (ref && !str(ref['apiGroup'])) ref['apiGroup'] = RBAC_GROUP;
  for (const s of recs(o['subjects'])) {
    if (!str(s['apiGroup']) && (s['kind'] === 'User' || s['kind'] === 'Group')) s['apiGroup'] = RBAC_GROUP;
  }
}


