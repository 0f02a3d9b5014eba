/**
 * Pod and container securityContext (core validation validatePodSpecSecurityContext and
 * ValidateSecurityContext): user and group ids in 0..2147483647, shareProcessNamespace not with
 * hostPID, allowPrivilegeEscalation=false not with privileged or an added CAP_SYS_ADMIN.
 * Capability names are not checked here (upstream neither); the runtime checks them where used.
 */
import type { FieldError } from '../status.js';
import { GoRaw, invalid } from './field-errors.js';
import { inclusiveRangeError } from './names.js';
import { list, num, rec, type Obj } from './obj.js';

const MAX_ID = 2147483647;

/** IsValidUserID / IsValidGroupID. */
function validId(v: unknown, field: string): FieldError[] {
  const n = num(v);
  if (n === undefined) return [];
  return Number.isInteger(n) && n >= 0 && n <= MAX_ID ? [] : [invalid(field, n, inclusiveRangeError(0, MAX_ID))];
}

/** spec.securityContext, with the spec's hostPID and shareProcessNamespace (internal API keeps them in it). */
export function validatePodSecurityContext(spec: Obj, field: string): FieldError[] {
  const sc = rec(spec['securityContext']);
  if (!sc) return [];
  const errs = [
    ...validId(sc['fsGroup'], `${field}.fsGroup`),
    ...validId(sc['runAsUser'], `${field}.runAsUser`),
    ...validId(sc['runAsGroup'], `${field}.runAsGroup`),
    ...list(sc['supplementalGroups']).flatMap((g, i) => validId(g, `${field}.supplementalGroups[${i}]`)),
  ];
  if (spec['shareProcessNamespace'] === true && spec['hostPID'] === true) {
    errs.push(invalid(`${field}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  return errs;
}

/** A container's securityContext at `field` (e.g. "spec.containers[0].securityContext"). */
export function validateSecurityContext(raw: unknown, field: string): FieldError[] {
  const sc = rec(raw);
  if (!sc) return [];
  const errs = [...validId(sc['runAsUser'], `${field}.runAsUser`), ...validId(sc['runAsGroup'], `${field}.runAsGroup`)];
  if (sc['allowPrivilegeEscalation'] === false) {
    const shown = goSecurityContext(sc);
    if (sc['privileged'] === true) errs.push(invalid(field, shown, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    const add = list(rec(sc['capabilities'])?.['add']);
    if (add.includes('CAP_SYS_ADMIN')) errs.push(invalid(field, shown, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return errs;
}

/** The bad value as upstream prints the struct (%#v), with the set scalar fields only. */
function goSecurityContext(sc: Obj): GoRaw {
  const fields = ['privileged', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation']
    .filter((k) => typeof sc[k] === 'boolean' || typeof sc[k] === 'number')
    .map((k) => `${k.charAt(0).toUpperCase()}${k.slice(1)}:${String(sc[k])}`);
  return new GoRaw(`core.SecurityContext{${fields.join(', ')}}`);
}
