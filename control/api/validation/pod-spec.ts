/** PodSpec and PodTemplateSpec (core validation ValidatePodSpec/ValidatePodTemplateSpec). */
import type { FieldError } from '../status.js';
import { duplicate, forbidden, invalid, notSupported, required } from './field-errors.js';
import { validateContainers, validateInitContainers } from './container.js';
import { validateAnnotations, validateLabelName, validateLabels } from './meta.js';
import { inclusiveRangeError, isDNS1123Label, isLabelValue, nameIsDNSSubdomain } from './names.js';
import { num, rec, recs, str, type Obj } from './obj.js';
import { validatePodSecurityContext } from './security-context.js';

const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc',
  'flexVolume', 'configMap', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk',
  'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const MAX_INT32 = 2147483647;

function validateVolumeSource(v: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of VOLUME_SOURCES) {
    const src = rec(v[kind]);
    if (!src) continue;
    if (count > 0) {
      errs.push(forbidden(`${p}.${kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    if (kind === 'hostPath' && !str(src['path'])) errs.push(required(`${p}.hostPath.path`));
    if (kind === 'secret' || kind === 'configMap') {
      const mode = num(src['defaultMode']);
      if (mode !== undefined && (mode < 0 || mode > 0o777)) {
        errs.push(invalid(`${p}.${kind}.defaultMode`, mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
      }
      const nameKey = kind === 'secret' ? 'secretName' : 'name';
      const refName = str(src[nameKey]);
      if (kind === 'secret' && !refName) errs.push(required(`${p}.secret.secretName`));
      else if (refName) errs.push(...nameIsDNSSubdomain(refName, false).map((m) => invalid(`${p}.${kind}.${nameKey}`, refName, m)));
    }
    if (kind === 'persistentVolumeClaim' && !str(src['claimName'])) errs.push(required(`${p}.persistentVolumeClaim.claimName`));
  }
  if (count === 0) errs.push(required(p, 'must specify a volume type'));
  return errs;
}

/** Returns the valid volume names (for volumeMount lookups) and the errors. */
function validateVolumes(volumes: unknown, field: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  recs(volumes).forEach((v, i) => {
    const p = `${field}[${i}]`;
    const name = str(v['name']);
    const el = validateVolumeSource(v, p);
    if (!name) el.push(required(`${p}.name`));
    else el.push(...isDNS1123Label(name).map((m) => invalid(`${p}.name`, name, m)));
    if (names.has(name)) el.push(duplicate(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  recs(tolerations).forEach((t, i) => {
    const p = `${field}[${i}]`;
    const key = str(t['key']);
    const op = str(t['operator']);
    const value = str(t['value']);
    const effect = str(t['effect']);
    if (key) errs.push(...validateLabelName(key, `${p}.key`));
    if (!key && op !== 'Exists') errs.push(invalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t['tolerationSeconds'] !== undefined && t['tolerationSeconds'] !== null && effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isLabelValue(value);
      if (msgs.length) errs.push(invalid(`${p}.operator`, value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (value) errs.push(invalid(`${p}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errs.push(notSupported(`${p}.effect`, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** ValidatePodSpec; assumes defaults were applied (restartPolicy, dnsPolicy, grace period, …). */
export function validatePodSpec(specRaw: unknown, field: string): FieldError[] {
  const spec = rec(specRaw) ?? {};
  const errs: FieldError[] = [];
  const grace = num(spec['terminationGracePeriodSeconds']);
  if (spec['terminationGracePeriodSeconds'] === undefined || spec['terminationGracePeriodSeconds'] === null) {
    errs.push(required(`${field}.terminationGracePeriodSeconds`));
  }
  const vols = validateVolumes(spec['volumes'], `${field}.volumes`);
  errs.push(...vols.errs);
  const ctx = { volumes: vols.names, gracePeriod: grace };
  errs.push(...validateContainers(spec['containers'], ctx, `${field}.containers`));
  errs.push(...validateInitContainers(spec['initContainers'], spec['containers'], ctx, `${field}.initContainers`));
  const rp = str(spec['restartPolicy']);
  if (!rp) errs.push(required(`${field}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(notSupported(`${field}.restartPolicy`, rp, RESTART_POLICIES));
  const dns = str(spec['dnsPolicy']);
  if (!dns) errs.push(required(`${field}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dns)) errs.push(notSupported(`${field}.dnsPolicy`, dns, DNS_POLICIES));
  errs.push(...validateLabels(spec['nodeSelector'], `${field}.nodeSelector`));
  for (const k of ['serviceAccountName', 'nodeName', 'priorityClassName'] as const) {
    const v = str(spec[k]);
    if (v) errs.push(...nameIsDNSSubdomain(v, false).map((m) => invalid(`${field}.${k}`, v, m)));
  }
  const ads = num(spec['activeDeadlineSeconds']);
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32)) {
    errs.push(invalid(`${field}.activeDeadlineSeconds`, ads, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const k of ['hostname', 'subdomain'] as const) {
    const v = str(spec[k]);
    if (v) errs.push(...isDNS1123Label(v).map((m) => invalid(`${field}.${k}`, v, m)));
  }
  errs.push(...validateTolerations(spec['tolerations'], `${field}.tolerations`));
  errs.push(...validatePodSecurityContext(spec, `${field}.securityContext`));
  const pp = spec['preemptionPolicy'];
  if (typeof pp === 'string') {
    if (!pp) errs.push(required(`${field}.preemptionPolicy`));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(notSupported(`${field}.preemptionPolicy`, pp, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

/** ValidatePodTemplateSpec at `field` (e.g. "spec.template"). */
export function validatePodTemplateSpec(templateRaw: unknown, field: string): FieldError[] {
  const t = rec(templateRaw) ?? {};
  const meta = rec(t['metadata']) ?? {};
  const errs = [
    ...validateLabels(meta['labels'], `${field}.labels`),
    ...validateAnnotations(meta['annotations'], `${field}.annotations`),
    ...validatePodSpec(t['spec'], `${field}.spec`),
  ];
  const spec = rec(t['spec']) ?? {};
  if (recs(spec['ephemeralContainers']).length > 0) {
    errs.push(forbidden(`${field}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
