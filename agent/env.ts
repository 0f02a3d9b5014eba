/**
 * PURE: a container's environment from its pod (values, fieldRef, resourceFieldRef,
 * configMapKeyRef, secretKeyRef, envFrom), with $(VAR) expansion as kubelet does it. The
 * ConfigMaps and Secrets are fetched beforehand (pod-refs.ts); a missing required one is a
 * ContainerConfigError (waiting reason CreateContainerConfigError).
 */
import type { ClaimVolume } from './claim-volumes.js';
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { quantityOf } from '../control/api/quantity.js';
import type { KeyValue } from '../cri/types.js';

export interface PodRefs {
  configMaps: Record<string, ConfigMap | undefined>;
  secrets: Record<string, Secret | undefined>;
  /** persistentVolumeClaim volumes by volume name, resolved to this node's paths (claim-volumes.ts). */
  claims?: Record<string, ClaimVolume>;
}

export interface EnvContext {
  podIP: string;
  hostIP: string;
  /** Used for resource limits that are not set (cores, bytes). */
  nodeAllocatable: { cpu: number; memory: number };
}

export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) { super(message); this.name = 'ContainerConfigError'; }
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function fieldValue(pod: Pod, path: string, ctx: EnvContext): string {
  const md = pod.metadata ?? {};
  const item = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (item) return (item[1] === 'labels' ? md.labels : md.annotations)?.[item[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return md.name ?? '';
    case 'metadata.namespace': return md.namespace ?? 'default';
    case 'metadata.uid': return md.uid ?? '';
    case 'metadata.labels': return formatMap(md.labels);
    case 'metadata.annotations': return formatMap(md.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return ctx.podIP;
    case 'status.hostIP': case 'status.hostIPs': return ctx.hostIP;
    default: throw new ContainerConfigError(`unsupported fieldRef path "${path}"`);
  }
}

/** "key=\"value\"" lines, sorted (the downward API's format for whole maps). */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}="${(m ?? {})[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join('\n');
}

export function resourceValue(pod: Pod, containerName: string, resource: string, divisor: string | number | undefined, ctx: EnvContext): string {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === containerName);
  if (!c) throw new ContainerConfigError(`resourceFieldRef: container "${containerName}" not found`);
  const [kind, name] = resource.split('.') as [string, string | undefined];
  const from = kind === 'limits' ? c.resources?.limits : c.resources?.requests;
  const raw = from?.[name ?? ''];
  let v: number;
  if (raw !== undefined) v = quantityOf(raw);
  else if (kind === 'requests' && c.resources?.limits?.[name ?? ''] !== undefined) v = quantityOf(c.resources.limits[name ?? '']);
  else if (kind === 'limits') v = name === 'cpu' ? ctx.nodeAllocatable.cpu : name === 'memory' ? ctx.nodeAllocatable.memory : 0;
  else v = 0;
  const d = divisor === undefined || divisor === '' ? 1 : quantityOf(divisor) || 1;
  return String(Math.ceil(v / d - 1e-9));
}

/**
 * Kubernetes $(VAR) expansion: defined names are replaced (from `vars`, then `fallback`: the
 * service variables, as the kubelet's MappingFuncFor), $$ escapes, unknown references stay.
 */
export function expand(s: string, vars: ReadonlyMap<string, string>, fallback: ReadonlyMap<string, string> = new Map()): string {
  return s.replace(/\$\$|\$\(([^)]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    if (name === undefined) return m;
    return vars.get(name) ?? fallback.get(name) ?? m;
  });
}

function keyOf<T extends { data?: Record<string, string> }>(kind: 'configmap' | 'secret', obj: T | undefined, name: string, key: string, optional: boolean, decode: boolean): string | undefined {
  if (!obj) {
    if (optional) return undefined;
    throw new ContainerConfigError(`${kind} "${name}" not found`);
  }
  const raw = obj.data?.[key] ?? (kind === 'configmap' ? (obj as ConfigMap).binaryData?.[key] : undefined);
  if (raw === undefined) {
    if (optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${name}`);
  }
  return decode ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

/**
 * The container's variables in declaration order, then the service variables (service-env.ts)
 * the container does not declare itself.
 */
export function resolveEnv(pod: Pod, container: Container, refs: PodRefs, ctx: EnvContext, serviceEnv: ReadonlyMap<string, string> = new Map()): KeyValue[] {
  const vars = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const n = from.configMapRef.name ?? '';
      const cm = refs.configMaps[n];
      if (!cm && !from.configMapRef.optional) throw new ContainerConfigError(`configmap "${n}" not found`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) if (ENV_NAME.test(prefix + k)) vars.set(prefix + k, v);
    }
    if (from.secretRef) {
      const n = from.secretRef.name ?? '';
      const s = refs.secrets[n];
      if (!s && !from.secretRef.optional) throw new ContainerConfigError(`secret "${n}" not found`);
      for (const [k, v] of Object.entries(s?.data ?? {})) if (ENV_NAME.test(prefix + k)) vars.set(prefix + k, Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  for (const e of container.env ?? []) {
    const vf = e.valueFrom;
    let v: string | undefined;
    if (!vf) v = expand(e.value ?? '', vars, serviceEnv);
    else if (vf.fieldRef) v = fieldValue(pod, vf.fieldRef.fieldPath, ctx);
    else if (vf.resourceFieldRef) v = resourceValue(pod, vf.resourceFieldRef.containerName || container.name, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor, ctx);
    else if (vf.configMapKeyRef) v = keyOf('configmap', refs.configMaps[vf.configMapKeyRef.name ?? ''], vf.configMapKeyRef.name ?? '', vf.configMapKeyRef.key, vf.configMapKeyRef.optional ?? false, false);
    else if (vf.secretKeyRef) v = keyOf('secret', refs.secrets[vf.secretKeyRef.name ?? ''], vf.secretKeyRef.name ?? '', vf.secretKeyRef.key, vf.secretKeyRef.optional ?? false, true);
    if (v !== undefined) vars.set(e.name, v);
  }
  for (const [k, v] of serviceEnv) if (!vars.has(k)) vars.set(k, v);
  return [...vars.entries()].map(([key, value]) => ({ key, value }));
}
