/** Fetches the ConfigMaps and Secrets a pod refers to (env, envFrom, volumes); a 404 leaves the entry undefined. */
import type { ConfigMap, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import type { PodRefs } from './env.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const SECRETS = findResource('', 'v1', 'secrets')!;

/** PURE: the names of the ConfigMaps and Secrets the pod uses. */
export function referencedNames(pod: Pod): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = pod.spec;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
  }
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  return { configMaps, secrets };
}

async function getOrUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try { return await p; } catch (err) {
    if (isApiError(err) && err.code === 404) return undefined;
    throw err;
  }
}

export async function fetchPodRefs(client: RestClient, pod: Pod): Promise<PodRefs> {
  const ns = pod.metadata?.namespace ?? 'default';
  const names = referencedNames(pod);
  const refs: PodRefs = { configMaps: {}, secrets: {} };
  await Promise.all([
    ...[...names.configMaps].map(async (n) => { refs.configMaps[n] = await getOrUndefined(client.get<ConfigMap & KubeObject>(CONFIGMAPS, ns, n)); }),
    ...[...names.secrets].map(async (n) => { refs.secrets[n] = await getOrUndefined(client.get<Secret & KubeObject>(SECRETS, ns, n)); }),
  ]);
  return refs;
}
