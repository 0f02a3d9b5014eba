/**
 * Validation of a CustomResourceDefinition (upstream apiextensions validation, v1): the name is
 * `<plural>.<group>`, names are DNS-1035 labels, scope, versions with exactly one storage version,
 * a structural schema per version, the scale subresource's paths, printer columns, conversion;
 * and on update the immutable group and scope. PURE: field errors in upstream's words.
 */
import type { CustomResourceDefinition, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import type { FieldError } from '../../api/status.js';
import { duplicate, forbidden, immutable, invalid, notSupported, required } from '../../api/validation/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../api/validation/meta.js';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../../api/validation/names.js';
import type { Obj } from '../../api/validation/obj.js';
import { structuralErrors } from './schema/structural.js';

const SCOPES = ['Cluster', 'Namespaced'];
const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

export function validateCrd(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = old
    ? validateObjectMetaUpdate(crd.metadata as Obj | undefined, old.metadata as Obj | undefined)
    : validateObjectMeta(crd.metadata as Obj | undefined, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const spec = crd.spec;
  if (!spec) return [...errs, required('spec')];
  const group = spec.group ?? '';
  const plural = spec.names?.plural ?? '';
  const name = crd.metadata?.name ?? '';
  if (name && name !== `${plural}.${group}`) errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (!group) errs.push(required('spec.group'));
  else {
    errs.push(...isDNS1123Subdomain(group).map((m) => invalid('spec.group', group, m)));
    if (group.split('.').length < 2) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  errs.push(...validateApproval(group, crd.metadata?.annotations));
  if (!spec.scope) errs.push(required('spec.scope'));
  else if (!SCOPES.includes(spec.scope)) errs.push(notSupported('spec.scope', spec.scope, SCOPES));
  errs.push(...validateNames(spec.names, 'spec.names'));
  errs.push(...validateVersions(spec.versions ?? []));
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') errs.push(notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (strategy === 'Webhook' && !spec.conversion?.webhook?.clientConfig) errs.push(required('spec.conversion.webhook.clientConfig', 'required when strategy is set to Webhook'));
  if (old?.spec) {
    if (old.spec.group !== spec.group) errs.push(immutable('spec.group', spec.group));
    if (old.spec.scope !== spec.scope) errs.push(immutable('spec.scope', spec.scope));
    const storage = (spec.versions ?? []).find((v) => v.storage)?.name;
    (crd.status?.storedVersions ?? []).forEach((v, i) => {
      if (!(spec.versions ?? []).some((x) => x.name === v)) {
        errs.push(invalid(`status.storedVersions[${i}]`, v, 'must appear in spec.versions'));
      }
    });
    if (storage && crd.status?.storedVersions && !crd.status.storedVersions.includes(storage)) {
      errs.push(invalid('status.storedVersions', null, `must have the storage version ${storage}`));
    }
  }
  return errs;
}

const APPROVAL = 'api-approved.kubernetes.io';
const isProtectedGroup = (g: string): boolean => ['k8s.io', 'kubernetes.io'].some((d) => g === d || g.endsWith(`.${d}`));

/** Groups under k8s.io / kubernetes.io need the API review's approval annotation (a URL, or "unapproved…"). */
function validateApproval(group: string, annotations: Record<string, string> | undefined): FieldError[] {
  if (!isProtectedGroup(group)) return [];
  const field = `metadata.annotations[${APPROVAL}]`;
  const v = annotations?.[APPROVAL];
  if (v === undefined) return [required(field, `protected groups must have approval annotation "${APPROVAL}", see https://github.com/kubernetes/enhancements/pull/1111`)];
  if (v.startsWith('unapproved')) return [];
  try { new URL(v); return []; } catch { return [invalid(field, v, 'protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111')]; } // not a URL: refused
}

function validateNames(names: CustomResourceDefinition['spec']['names'] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const label = (field: string, v: string | undefined, need: boolean, lower = false) => {
    if (!v) { if (need) errs.push(required(`${path}.${field}`)); return; }
    errs.push(...isDNS1035Label(lower ? v.toLowerCase() : v).map((m) => invalid(`${path}.${field}`, v, m)));
  };
  label('plural', names?.plural, true);
  label('singular', names?.singular, false);
  label('kind', names?.kind, true, true);
  label('listKind', names?.listKind, true, true);
  if (names?.kind && names.kind === names.listKind) errs.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same or it would be ambiguous'));
  (names?.shortNames ?? []).forEach((s, i) => errs.push(...isDNS1035Label(s).map((m) => invalid(`${path}.shortNames[${i}]`, s, m))));
  (names?.categories ?? []).forEach((s, i) => errs.push(...isDNS1035Label(s).map((m) => invalid(`${path}.categories[${i}]`, s, m))));
  return errs;
}

function validateVersions(versions: readonly CustomResourceDefinitionVersion[]): FieldError[] {
  const errs: FieldError[] = [];
  if (versions.length === 0) return [required('spec.versions', 'must have exactly one version marked as storage version')];
  const storage = versions.filter((v) => v.storage === true).length;
  if (storage !== 1) errs.push(invalid('spec.versions', null, 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const p = `spec.versions[${i}]`;
    if (!v.name) errs.push(required(`${p}.name`));
    else {
      errs.push(...isDNS1035Label(v.name).map((m) => invalid(`${p}.name`, v.name, m)));
      if (seen.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      seen.add(v.name);
    }
    const schema = v.schema?.openAPIV3Schema;
    if (schema === undefined) errs.push(required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
    else errs.push(...structuralErrors(schema, `${p}.schema.openAPIV3Schema`));
    const scale = v.subresources?.scale;
    if (scale) {
      const sp = `${p}.subresources.scale`;
      if (!scale.specReplicasPath) errs.push(required(`${sp}.specReplicasPath`));
      else if (!scale.specReplicasPath.startsWith('.spec.')) errs.push(invalid(`${sp}.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec'));
      if (!scale.statusReplicasPath) errs.push(required(`${sp}.statusReplicasPath`));
      else if (!scale.statusReplicasPath.startsWith('.status.')) errs.push(invalid(`${sp}.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status'));
      const sel = scale.labelSelectorPath;
      if (sel && !sel.startsWith('.spec.') && !sel.startsWith('.status.')) errs.push(invalid(`${sp}.labelSelectorPath`, sel, 'should be a json path under either .spec or .status'));
    }
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      const cp = `${p}.additionalPrinterColumns[${j}]`;
      if (!c.name) errs.push(required(`${cp}.name`));
      if (!c.type) errs.push(required(`${cp}.type`));
      else if (!COLUMN_TYPES.includes(c.type)) errs.push(notSupported(`${cp}.type`, c.type, COLUMN_TYPES));
      if (!c.jsonPath) errs.push(required(`${cp}.jsonPath`));
      if (c.priority !== undefined && c.priority < 0) errs.push(forbidden(`${cp}.priority`, 'priority must be non-negative'));
    });
  });
  return errs;
}
