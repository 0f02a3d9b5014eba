/** Regular and init containers (core validation validateContainers/validateContainerCommon). */
import type { FieldError } from '../status.js';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from './field-errors.js';
import { isConfigMapKey, isDNS1123Label, isEnvVarName, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { num, rec, recs, str, type Obj } from './obj.js';
import { validateLifecycle, validateProbe } from './probe.js';
import { validateResourceRequirements } from './resources.js';
import { validateSecurityContext } from './security-context.js';

export interface ContainerContext {
  volumes: ReadonlySet<string>;
  gracePeriod: number | undefined;
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

function validatePorts(ports: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  recs(ports).forEach((port, i) => {
    const p = `${field}[${i}]`;
    const name = str(port['name']);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...msgs.map((m) => invalid(`${p}.name`, name, m)));
      else if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const cp = num(port['containerPort']) ?? 0;
    if (cp === 0) errs.push(required(`${p}.containerPort`));
    else errs.push(...isValidPortNum(cp).map((m) => invalid(`${p}.containerPort`, cp, m)));
    const hp = num(port['hostPort']) ?? 0;
    if (hp !== 0) errs.push(...isValidPortNum(hp).map((m) => invalid(`${p}.hostPort`, hp, m)));
    const proto = str(port['protocol']);
    if (!proto) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${p}.protocol`, proto, PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: Obj, field: string): FieldError[] {
  const errs = nameIsDNSSubdomain(str(sel['name']), false).map((m) => invalid(`${field}.name`, str(sel['name']), m));
  const key = str(sel['key']);
  if (!key) errs.push(required(`${field}.key`));
  else errs.push(...isConfigMapKey(key).map((m) => invalid(`${field}.key`, key, m)));
  return errs;
}

function validateEnv(env: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  recs(env).forEach((ev, i) => {
    const p = `${field}[${i}]`;
    const name = str(ev['name']);
    if (!name) errs.push(required(`${p}.name`));
    else errs.push(...isEnvVarName(name).map((m) => invalid(`${p}.name`, name, m)));
    const from = rec(ev['valueFrom']);
    if (!from) return;
    const vp = `${p}.valueFrom`;
    let sources = 0;
    const fieldRef = rec(from['fieldRef']);
    if (fieldRef) {
      sources++;
      if (!str(fieldRef['apiVersion'])) errs.push(required(`${vp}.fieldRef.apiVersion`));
      else if (!str(fieldRef['fieldPath'])) errs.push(required(`${vp}.fieldRef.fieldPath`));
    }
    const resRef = rec(from['resourceFieldRef']);
    if (resRef) {
      sources++;
      if (!str(resRef['resource'])) errs.push(required(`${vp}.resourceFieldRef.resource`));
    }
    const cmRef = rec(from['configMapKeyRef']);
    if (cmRef) { sources++; errs.push(...validateKeySelector(cmRef, `${vp}.configMapKeyRef`)); }
    const secRef = rec(from['secretKeyRef']);
    if (secRef) { sources++; errs.push(...validateKeySelector(secRef, `${vp}.secretKeyRef`)); }
    if (sources === 0) errs.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev['value'])) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  recs(envFrom).forEach((ef, i) => {
    const p = `${field}[${i}]`;
    const prefix = str(ef['prefix']);
    if (prefix) errs.push(...isEnvVarName(prefix).map((m) => invalid(`${p}.prefix`, prefix, m)));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      const ref = rec(ef[kind]);
      if (!ref) continue;
      sources++;
      const name = str(ref['name']);
      if (!name) errs.push(required(`${p}.${kind}.name`));
      else errs.push(...nameIsDNSSubdomain(name, true).map((m) => invalid(`${p}.${kind}.name`, name, m)));
    }
    if (sources === 0) errs.push(invalid(field, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(field, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: ReadonlySet<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  recs(mounts).forEach((m, i) => {
    const p = `${field}[${i}]`;
    const name = str(m['name']);
    const mountPath = str(m['mountPath']);
    if (!name) errs.push(required(`${p}.name`));
    if (!volumes.has(name)) errs.push(notFound(`${p}.name`, name));
    if (!mountPath) errs.push(required(`${p}.mountPath`));
    if (paths.has(mountPath)) errs.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    paths.add(mountPath);
    const subPath = str(m['subPath']);
    if (subPath && (subPath.startsWith('/') || subPath.split('/').includes('..'))) {
      errs.push(invalid(`${field}.subPath`, subPath, subPath.startsWith('/') ? 'must be a relative path' : "must not contain '..'"));
    }
  });
  return errs;
}

function validateContainerCommon(c: Obj, ctx: ContainerContext, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c['name']);
  if (!name) errs.push(required(`${p}.name`));
  else errs.push(...isDNS1123Label(name).map((m) => invalid(`${p}.name`, name, m)));
  if (!str(c['image'])) errs.push(required(`${p}.image`));
  const tmp = str(c['terminationMessagePolicy']);
  if (!tmp) errs.push(required(`${p}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(notSupported(`${p}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validatePorts(c['ports'], `${p}.ports`));
  errs.push(...validateEnv(c['env'], `${p}.env`));
  errs.push(...validateEnvFrom(c['envFrom'], `${p}.envFrom`));
  errs.push(...validateVolumeMounts(c['volumeMounts'], ctx.volumes, `${p}.volumeMounts`));
  const pull = str(c['imagePullPolicy']);
  if (!pull) errs.push(required(`${p}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${p}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(rec(c['resources']), `${p}.resources`));
  errs.push(...validateSecurityContext(c['securityContext'], `${p}.securityContext`));
  return errs;
}

function hostPortConflicts(containers: readonly Obj[], field: string): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    recs(c['ports']).forEach((port, pi) => {
      const hp = num(port['hostPort']) ?? 0;
      if (hp === 0) return;
      const key = `${str(port['protocol'])}/${str(port['hostIP'])}/${hp}`;
      if (seen.has(key)) errs.push(duplicate(`${field}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(containersRaw: unknown, ctx: ContainerContext, field: string): FieldError[] {
  const containers = recs(containersRaw);
  if (containers.length === 0) return [required(field)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${field}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx, p));
    const name = str(c['name']);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    errs.push(...validateLifecycle(c['lifecycle'], `${p}.lifecycle`, ctx.gracePeriod));
    errs.push(...validateProbe('livenessProbe', c['livenessProbe'], `${p}.livenessProbe`, ctx.gracePeriod));
    errs.push(...validateProbe('readinessProbe', c['readinessProbe'], `${p}.readinessProbe`, ctx.gracePeriod));
    errs.push(...validateProbe('startupProbe', c['startupProbe'], `${p}.startupProbe`, ctx.gracePeriod));
    if (c['restartPolicy'] !== undefined) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  return [...errs, ...hostPortConflicts(containers, field)];
}

export function validateInitContainers(initRaw: unknown, regularRaw: unknown, ctx: ContainerContext, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(recs(regularRaw).map((c) => str(c['name'])));
  recs(initRaw).forEach((c, i) => {
    const p = `${field}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx, p));
    const rp = c['restartPolicy'];
    const sidecar = rp === 'Always';
    if (rp !== undefined && !sidecar) errs.push(notSupported(`${p}.restartPolicy`, str(rp), ['Always']));
    const name = str(c['name']);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    errs.push(...hostPortConflicts([c], field));
    if (sidecar) {
      errs.push(...validateLifecycle(c['lifecycle'], `${p}.lifecycle`, ctx.gracePeriod));
      for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) errs.push(...validateProbe(k, c[k], `${p}.${k}`, ctx.gracePeriod));
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[k] !== undefined) errs.push(forbidden(`${p}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

/** Pod-only (not template) check: image without surrounding whitespace. */
export function validateImagesTrimmed(containers: unknown, field: string): FieldError[] {
  return recs(containers).flatMap((c, i) => {
    const image = str(c['image']);
    return image !== image.trim() ? [invalid(`${field}[${i}].image`, image, 'must not have leading or trailing whitespace')] : [];
  });
}
