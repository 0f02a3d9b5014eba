/**
 * The options object a CONNECT request (pods/exec, pods/attach, pods/portforward) shows admission,
 * read from the query as upstream's parameter codec reads it.
 */
import type { KubeObject } from '../../api/object.js';

const flag = (q: URLSearchParams, key: string): boolean | undefined => {
  const v = q.get(key);
  return v === null ? undefined : v === 'true' || v === '1';
};

export function connectOptions(subresource: string, q: URLSearchParams): KubeObject {
  const container = q.get('container') ?? undefined;
  const streams = { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty: flag(q, 'tty') };
  const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  switch (subresource) {
    case 'exec': return { apiVersion: 'v1', kind: 'PodExecOptions', ...defined({ ...streams, container, command: q.getAll('command') }) };
    case 'attach': return { apiVersion: 'v1', kind: 'PodAttachOptions', ...defined({ ...streams, container }) };
    default: return { apiVersion: 'v1', kind: 'PodPortForwardOptions', ...defined({ ports: q.getAll('ports').flatMap((p) => p.split(',')).map(Number).filter(Number.isInteger) }) };
  }
}
