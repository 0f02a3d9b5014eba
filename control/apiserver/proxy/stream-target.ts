/**
 * Where a pods/log|exec|attach|portforward request goes: the pod's node, its kubelet endpoint
 * (InternalIP, status.daemonEndpoints.kubeletEndpoint.Port) and the kubelet path with the query
 * in the kubelet's spelling — upstream's LogLocation/ExecLocation/AttachLocation/PortForwardLocation.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { queryBool } from '../../api/query-bool.js';
import { badRequest, internalError } from '../../api/status.js';

export const STREAM_SUBRESOURCES = ['log', 'exec', 'attach', 'portforward'] as const;
export type StreamSubresource = (typeof STREAM_SUBRESOURCES)[number];
export const isStreamSubresource = (s: string | undefined): s is StreamSubresource =>
  (STREAM_SUBRESOURCES as readonly string[]).includes(s ?? '');

export const DEFAULT_KUBELET_PORT = 10250;

export interface ObjectGetter { get(ri: ResourceInfo, ns: string | undefined, name: string): Promise<KubeObject> }

export interface StreamTarget { host: string; port: number; /** path + query on the kubelet */ path: string }

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

const LOG_PARAMS = ['follow', 'previous', 'timestamps', 'tailLines', 'limitBytes', 'sinceSeconds', 'sinceTime'];
/** PodLogOptions/PodExecOptions booleans as upstream's parameter codec reads them. */
const truthy = queryBool;

function chooseContainer(pod: Pod, name: string, requested: string | null): string {
  const containers = pod.spec?.containers ?? [];
  const all = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (requested) {
    if (!all.some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0]!.name;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  const names = containers.map((c) => c.name).join(' ');
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name).join(' ');
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names}]${inits ? ` or one of the init containers: [${inits}]` : ''}`);
}

/** The kubelet's address: InternalIP first, then ExternalIP, then Hostname (upstream's preference). */
export function kubeletEndpoint(node: Node): { host: string; port: number } {
  const addrs = node.status?.addresses ?? [];
  const addr = ['InternalIP', 'ExternalIP', 'Hostname'].map((t) => addrs.find((a) => a.type === t)?.address).find(Boolean);
  if (!addr) throw internalError(`no preferred addresses found; known addresses: [${addrs.map((a) => `${a.type} ${a.address}`).join(' ')}]`);
  return { host: addr, port: node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT };
}

function logWaitingCheck(pod: Pod, name: string, container: string, previous: boolean): void {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const st = all.find((s) => s.name === container);
  if (previous) {
    if (st && !st.lastState?.terminated) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return;
  }
  const waiting = st?.state?.waiting;
  if (waiting && !st.lastState?.terminated) {
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting.reason ?? 'ContainerCreating'}`);
  }
}

export async function resolveStreamTarget(
  objects: ObjectGetter, sub: StreamSubresource, namespace: string, name: string, query: URLSearchParams,
): Promise<StreamTarget> {
  const pod = await objects.get(PODS, namespace, name) as Pod;
  const ns = encodeURIComponent(namespace);
  const podSeg = encodeURIComponent(name);
  const out = new URLSearchParams();
  let path: string;
  if (sub === 'portforward') {
    path = `/portForward/${ns}/${podSeg}`;
  } else {
    const container = chooseContainer(pod, name, query.get('container'));
    if (sub === 'log') {
      logWaitingCheck(pod, name, container, truthy(query.get('previous')));
      for (const p of LOG_PARAMS) { const v = query.get(p); if (v !== null) out.set(p, v); }
      path = `/containerLogs/${ns}/${podSeg}/${encodeURIComponent(container)}`;
    } else {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') {
        throw badRequest(`cannot ${sub === 'exec' ? 'exec into' : 'attach to'} a container in a completed pod; current phase is ${phase}`);
      }
      for (const c of query.getAll('command')) out.append('command', c);
      if (truthy(query.get('stdin'))) out.set('input', '1');
      if (truthy(query.get('stdout'))) out.set('output', '1');
      if (truthy(query.get('stderr'))) out.set('error', '1');
      if (truthy(query.get('tty'))) out.set('tty', '1');
      path = `/${sub}/${ns}/${podSeg}/${encodeURIComponent(container)}`;
    }
  }
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const node = await objects.get(NODES, undefined, nodeName) as Node;
  const qs = out.toString();
  return { ...kubeletEndpoint(node), path: qs ? `${path}?${qs}` : path };
}
