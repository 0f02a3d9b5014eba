/**
 * PersistentVolume and PersistentVolumeClaim (core validation ValidatePersistentVolume*,
 * ValidatePersistentVolumeClaim*). Every upstream volume source is accepted at the API, as upstream
 * accepts it; only hostPath and local are checked field by field, as they are the two tinykube's
 * agent mounts (a PV of another type binds but its pods never start).
 */
import type { FieldError } from '../status.js';
import { QUANTITY_SYNTAX_ERROR, quantityOf } from '../quantity.js';
import { GoRaw, forbidden, goQuote, immutable, invalid, notSupported, required } from './field-errors.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateVolumeNodeAffinity } from './node-selector.js';
import { deepEqual, list, rec, str, type Obj } from './obj.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
/** PersistentVolumeSource's members, in upstream's checking order. */
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte',
  'cephfs', 'iscsi', 'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk',
  'portworxVolume', 'azureDisk', 'scaleIO', 'local', 'storageos', 'csi',
];

/** validatePathNoBacksteps: one error however many `..` segments. */
export function validatePathNoBacksteps(path: string, field: string): FieldError[] {
  return path.split('/').includes('..') ? [invalid(field, path, "must not contain '..'")] : [];
}

function validateAccessModes(modes: unknown, field: string, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  const ms = list(modes).map(str);
  if (ms.length === 0) errs.push(required(field, requiredDetail));
  for (const m of ms) if (!ACCESS_MODES.includes(m)) errs.push(notSupported(field, m, ACCESS_MODES));
  if (ms.includes('ReadWriteOncePod') && ms.some((m) => m !== 'ReadWriteOncePod')) {
    errs.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

/** A storage quantity that must parse and be > 0 (validateBasicResource when `basic`, ValidatePositiveQuantityValue). */
function validatePositiveQuantity(v: unknown, field: string, opts: { basic: boolean }): FieldError[] {
  let q: number;
  try {
    q = quantityOf(v);
  } catch {
    return [invalid(field, typeof v === 'string' ? v : String(v), QUANTITY_SYNTAX_ERROR)];
  }
  const basic = opts.basic && q < 0 ? [invalid(field, String(v), 'must be a valid resource quantity')] : [];
  return q <= 0 ? [...basic, invalid(field, String(v), 'must be greater than zero')] : basic;
}

/** core.ResourceList as %#v prints it, for the capacity NotSupported error. */
function goResourceList(m: Obj | undefined): GoRaw {
  if (m === undefined) return new GoRaw('core.ResourceList(nil)');
  return new GoRaw(`core.ResourceList{${Object.keys(m).sort().map((k) => `${goQuote(k)}:resource.Quantity{s:${goQuote(String(m[k]))}}`).join(', ')}}`);
}

function validateVolumeSourceFields(kind: string, src: Obj, field: string): FieldError[] {
  const path = str(src['path']);
  if (kind === 'hostPath') {
    if (!path) return [required(`${field}.path`)];
    const errs = validatePathNoBacksteps(path, `${field}.path`);
    const type = str(src['type']);
    if (!HOST_PATH_TYPES.includes(type)) errs.push(notSupported(`${field}.type`, type, HOST_PATH_TYPES));
    return errs;
  }
  if (kind === 'local') return path ? validatePathNoBacksteps(path, `${field}.path`) : [required(`${field}.path`)];
  if (kind === 'nfs') {
    const errs = str(src['server']) ? [] : [required(`${field}.server`)];
    if (!path) errs.push(required(`${field}.path`));
    else if (!path.startsWith('/')) errs.push(invalid(`${field}.path`, path, 'must be an absolute path'));
    return errs;
  }
  if (kind === 'csi') {
    const errs = str(src['driver']) ? [] : [required(`${field}.driver`)];
    if (!str(src['volumeHandle'])) errs.push(required(`${field}.volumeHandle`));
    return errs;
  }
  return [];
}

function validatePersistentVolumeSpec(spec: Obj): FieldError[] {
  const errs = validateAccessModes(spec['accessModes'], 'spec.accessModes', '');
  const capacity = rec(spec['capacity']);
  if (!capacity || Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  if (!capacity || !('storage' in capacity) || Object.keys(capacity).length > 1) {
    errs.push(notSupported('spec.capacity', goResourceList(capacity), ['storage']));
  }
  for (const [name, q] of Object.entries(capacity ?? {})) errs.push(...validatePositiveQuantity(q, `spec.capacity[${name}]`, { basic: true }));
  const reclaim = str(spec['persistentVolumeReclaimPolicy']);
  if (reclaim && !PV_RECLAIM_POLICIES.includes(reclaim)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', reclaim, PV_RECLAIM_POLICIES));
  const affinity = rec(spec['nodeAffinity']);
  if (affinity) errs.push(...validateVolumeNodeAffinity(affinity, 'spec.nodeAffinity'));
  let count = 0;
  for (const kind of PV_SOURCES) {
    const src = rec(spec[kind]);
    if (!src) continue;
    if (count++ > 0) {
      errs.push(forbidden(`spec.${kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    errs.push(...validateVolumeSourceFields(kind, src, `spec.${kind}`));
    if (kind === 'local' && !affinity) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (count === 0) errs.push(required('spec', 'must specify a volume type'));
  const hostPath = str(rec(spec['hostPath'])?.['path']);
  if (hostPath && hostPath.replace(/\/+$/, '') === '' && reclaim === 'Recycle') {
    errs.push(forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  const cls = str(spec['storageClassName']);
  if (cls) errs.push(...nameIsDNSSubdomain(cls, false).map((m) => invalid('spec.storageClassName', cls, m)));
  const mode = spec['volumeMode'];
  if (mode !== undefined && mode !== null && !VOLUME_MODES.includes(str(mode))) errs.push(notSupported('spec.volumeMode', str(mode), VOLUME_MODES));
  return errs;
}

/** ValidatePersistentVolume (create) and, with `old`, ValidatePersistentVolumeUpdate. */
export function validatePersistentVolume(o: Obj, old?: Obj): FieldError[] {
  const spec = rec(o['spec']) ?? {};
  const errs = validateObjectMeta(rec(o['metadata']), { namespaced: false, nameFn: nameIsDNSSubdomain });
  errs.push(...validatePersistentVolumeSpec(spec));
  if (!old) return errs;
  errs.push(...validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata'])));
  const oldSpec = rec(old['spec']) ?? {};
  const changed = PV_SOURCES.filter((k) => !deepEqual(spec[k], oldSpec[k]));
  if (changed.length > 0) {
    errs.push(forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${goDiff('core.PersistentVolumeSource', changed, oldSpec, spec)}`));
  }
  if (!deepEqual(spec['volumeMode'], oldSpec['volumeMode'])) errs.push(immutable('volumeMode', str(spec['volumeMode'])));
  if (oldSpec['nodeAffinity'] !== undefined && !deepEqual(spec['nodeAffinity'], oldSpec['nodeAffinity'])) {
    errs.push(immutable('nodeAffinity', new GoRaw('&core.VolumeNodeAffinity{...}')));
  }
  return errs;
}

/** ValidatePersistentVolumeStatusUpdate: the metadata rules (status itself is free-form upstream). */
export function validatePersistentVolumeStatusUpdate(o: Obj, old: Obj): FieldError[] {
  return validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']));
}

/** validateDataSource / validateDataSourceRef: a named kind; without an API group only a PersistentVolumeClaim. */
function validateDataSource(ref: Obj, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(ref['name'])) errs.push(required(`${field}.name`));
  const kind = str(ref['kind']);
  if (!kind) errs.push(required(`${field}.kind`));
  const group = str(ref['apiGroup']);
  if (group) errs.push(...nameIsDNSSubdomain(group, false).map((m) => invalid(`${field}.apiGroup`, group, m)));
  else if (kind !== 'PersistentVolumeClaim') errs.push(invalid(`${field}.kind`, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  return errs;
}

function validateDataSources(spec: Obj, path: string): FieldError[] {
  const ds = rec(spec['dataSource']);
  const ref = rec(spec['dataSourceRef']);
  const errs = [...(ds ? validateDataSource(ds, `${path}.dataSource`) : []), ...(ref ? validateDataSource(ref, `${path}.dataSourceRef`) : [])];
  if (ref && str(ref['namespace'])) {
    if (ds) errs.push(invalid(path, new GoRaw(`${path}.dataSource`), 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (ds && ref && !['apiGroup', 'kind', 'name'].every((k) => str(ds[k]) === str(ref[k]))) {
    errs.push(invalid(path, new GoRaw(`${path}.dataSource`), 'must match dataSourceRef'));
  }
  return errs;
}

/** ValidatePersistentVolumeClaimSpec at `path` (a claim's spec, or a StatefulSet claim template's). */
export function validatePersistentVolumeClaimSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateAccessModes(spec['accessModes'], `${path}.accessModes`, 'at least 1 access mode is required');
  if (rec(spec['selector'])) errs.push(...validateLabelSelector(spec['selector'], `${path}.selector`));
  const requests = rec(rec(spec['resources'])?.['requests']);
  if (!requests || requests['storage'] === undefined) errs.push(required(`${path}.resources[storage]`));
  else errs.push(...validatePositiveQuantity(requests['storage'], `${path}.resources[storage]`, { basic: false }));
  const cls = str(spec['storageClassName']);
  if (cls) errs.push(...nameIsDNSSubdomain(cls, false).map((m) => invalid(`${path}.storageClassName`, cls, m)));
  const mode = spec['volumeMode'];
  if (mode !== undefined && mode !== null && !VOLUME_MODES.includes(str(mode))) errs.push(notSupported(`${path}.volumeMode`, str(mode), VOLUME_MODES));
  errs.push(...validateDataSources(spec, path));
  return errs;
}

const storageRequest = (spec: Obj): unknown => rec(rec(spec['resources'])?.['requests'])?.['storage'];

function quantityOrUndefined(v: unknown): number | undefined {
  try {
    return v === undefined ? undefined : quantityOf(v);
  } catch {
    return undefined; // reported by the spec validation
  }
}

/**
 * ValidatePersistentVolumeClaim and, with `old`, ValidatePersistentVolumeClaimUpdate: the spec is
 * immutable except volumeName while unset, and resources.requests.storage of a Bound claim, which may
 * only grow.
 */
export function validatePersistentVolumeClaim(o: Obj, old?: Obj): FieldError[] {
  const spec = rec(o['spec']) ?? {};
  const errs = validateObjectMeta(rec(o['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validatePersistentVolumeClaimSpec(spec, 'spec'));
  if (!old) return errs;
  errs.push(...validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata'])));
  const oldSpec = rec(old['spec']) ?? {};
  const cmpNew: Obj = structuredClone(spec);
  const cmpOld: Obj = structuredClone(oldSpec);
  if (!str(oldSpec['volumeName'])) cmpOld['volumeName'] = cmpNew['volumeName'];
  const bound = str(rec(o['status'])?.['phase']) === 'Bound';
  if (bound && rec(rec(cmpNew['resources'])?.['requests'])) {
    const req = rec(rec(cmpNew['resources'])?.['requests']) as Obj;
    const oldReq = storageRequest(oldSpec);
    if (oldReq === undefined) delete req['storage'];
    else req['storage'] = oldReq;
  }
  const fields = [...new Set([...Object.keys(cmpNew), ...Object.keys(cmpOld)])].filter((k) => !deepEqual(cmpNew[k], cmpOld[k]));
  if (fields.length > 0) {
    errs.push(forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${goDiff('core.PersistentVolumeClaimSpec', fields, cmpOld, cmpNew)}`));
  }
  const oldSize = quantityOrUndefined(storageRequest(oldSpec)) ?? 0;
  const newSize = quantityOrUndefined(storageRequest(spec)) ?? 0;
  if (newSize < oldSize) errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  if (!deepEqual(spec['volumeMode'], oldSpec['volumeMode'])) errs.push(immutable('volumeMode', str(spec['volumeMode'])));
  return errs;
}

/** ValidatePersistentVolumeClaimStatusUpdate: metadata rules and well-formed capacities. */
export function validatePersistentVolumeClaimStatusUpdate(o: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']));
  const status = rec(o['status']) ?? {};
  errs.push(...validateAccessModes(status['accessModes'], 'status.accessModes', '').filter((e) => e.type !== 'FieldValueRequired'));
  for (const [name, q] of Object.entries(rec(status['capacity']) ?? {})) {
    try {
      if (quantityOf(q) < 0) errs.push(invalid(`status.capacity[${name}]`, String(q), 'must be a valid resource quantity'));
    } catch {
      errs.push(invalid(`status.capacity[${name}]`, String(q), QUANTITY_SYNTAX_ERROR));
    }
  }
  return errs;
}

/** A short go-cmp style diff of the named fields, as upstream appends to its immutability errors. */
function goDiff(type: string, fields: readonly string[], oldObj: Obj, newObj: Obj): string {
  const goName = (f: string): string => f.charAt(0).toUpperCase() + f.slice(1);
  const lines = [`  ${type}{`];
  for (const f of fields) {
    if (oldObj[f] !== undefined) lines.push(`- \t${goName(f)}: ${JSON.stringify(oldObj[f])},`);
    if (newObj[f] !== undefined) lines.push(`+ \t${goName(f)}: ${JSON.stringify(newObj[f])},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}
