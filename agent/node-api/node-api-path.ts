/**
 * The node API's streaming endpoints, as upstream's kubelet server names them:
 *   /containerLogs/{ns}/{pod}/{container}   /exec/{ns}/{pod}/{container}
 *   /attach/{ns}/{pod}/{container}          /portForward/{ns}/{pod}
 * Flags are accepted in both spellings: the kubelet's (`input=1&output=1&error=1&tty=1`, what the
 * API server sends) and the API's (`stdin=true&stdout=true&stderr=true`).
 */
import { queryBool } from '../../control/api/query-bool.js';

export type NodeApiEndpoint = 'containerLogs' | 'exec' | 'attach' | 'portForward';

export interface NodeApiTarget {
  endpoint: NodeApiEndpoint;
  namespace: string;
  pod: string;
  /** Absent only for portForward. */
  container?: string;
  query: URLSearchParams;
}

export function parseNodeApiPath(rawUrl: string): NodeApiTarget | undefined {
  const url = new URL(rawUrl, 'http://node');
  const parts = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const [endpoint, namespace, pod, container] = parts;
  if (!namespace || !pod) return undefined;
  if (endpoint === 'portForward' && parts.length === 3) return { endpoint, namespace, pod, query: url.searchParams };
  if ((endpoint === 'containerLogs' || endpoint === 'exec' || endpoint === 'attach') && container && parts.length === 4) {
    return { endpoint, namespace, pod, container, query: url.searchParams };
  }
  return undefined;
}

/** The kubelet decodes PodLogOptions with the parameter codec: `True` is true (control/api/query-bool.ts). */
const truthy = queryBool;

/** The kubelet's own spelling is `1` only (upstream remotecommand.NewOptions); the API's is a codec boolean. */
export function flag(query: URLSearchParams, kubeletName: string, apiName: string): boolean {
  return query.get(kubeletName) === '1' || truthy(query.get(apiName));
}

export interface StreamRequest { cmd: string[]; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }

export function streamRequestOf(query: URLSearchParams): StreamRequest {
  const tty = flag(query, 'tty', 'tty');
  return {
    cmd: query.getAll('command'),
    stdin: flag(query, 'input', 'stdin'),
    stdout: flag(query, 'output', 'stdout'),
    stderr: flag(query, 'error', 'stderr') && !tty,
    tty,
  };
}

export interface LogRequest {
  follow: boolean; previous: boolean; timestamps: boolean;
  tailLines?: number; limitBytes?: number; sinceSeconds?: number; sinceTime?: Date;
}

function int(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function logRequestOf(query: URLSearchParams, now: Date): LogRequest {
  const sinceSeconds = int(query, 'sinceSeconds');
  const sinceTimeText = query.get('sinceTime');
  const sinceTime = sinceSeconds !== undefined ? new Date(now.getTime() - sinceSeconds * 1000)
    : sinceTimeText ? new Date(sinceTimeText) : undefined;
  return {
    follow: truthy(query.get('follow')), previous: truthy(query.get('previous')), timestamps: truthy(query.get('timestamps')),
    tailLines: int(query, 'tailLines'), limitBytes: int(query, 'limitBytes'), sinceSeconds,
    sinceTime: sinceTime && !Number.isNaN(sinceTime.getTime()) ? sinceTime : undefined,
  };
}
