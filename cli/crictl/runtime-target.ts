/**
 * Which CRI v1 endpoint crictl talks to, chosen once (crictl's own order, then tinykube's node):
 *   1. -r/--runtime-endpoint unix:///path | containerd:///path
 *   2. $CONTAINER_RUNTIME_ENDPOINT (as crictl reads it)
 *   3. the node whose data dir is --data-dir (default /var/lib/tinykube): the runtime `up` recorded
 *      in <data-dir>/runtime-endpoint (Docker when nothing is recorded). A Docker node's CRI is the
 *      agent's own socket <data-dir>/cri.sock; a containerd node's is containerd's socket.
 * docker:// is dockerd's Engine API, not CRI, and is refused with the socket to use instead.
 * Everything then goes over gRPC (RemoteRuntime); nothing runs in process.
 */
import { join } from 'node:path';
import type { ContainerStatsService, Runtime, RuntimeExtrasService } from '../../cri/types.js';
import { UsageError } from '../flags.js';

/** The contract plus the optional CRI calls crictl shows when the runtime has them; close() ends the connection. */
export type CrictlRuntime = Runtime & Partial<ContainerStatsService> & Partial<RuntimeExtrasService> & { close?(): void };

/** The agent's CRI socket in its data dir (agent/cri-server, `--cri-socket`'s default). */
export const CRI_SOCKET_FILE = 'cri.sock';

export interface EndpointChoice {
  /** -r/--runtime-endpoint */
  flag?: string;
  /** $CONTAINER_RUNTIME_ENDPOINT */
  env?: string;
  dataDir: string;
  /** What the data dir records (cli/node-runtime.ts recordedRuntimeEndpoint). */
  recorded: string;
}

/** PURE. An endpoint URL's socket path; `what` names where the URL came from in the error. */
export function criSocketOf(endpoint: string, what: string, dataDir: string): string {
  const m = /^(unix|containerd|docker):\/\/(\/.*)$/.exec(endpoint);
  if (m === null || m[2] === '/') {
    throw new UsageError(`invalid ${what} "${endpoint}": want unix:///path/to/cri.sock or containerd:///path/to/containerd.sock`);
  }
  if (m[1] === 'docker') {
    throw new UsageError(`${what} "${endpoint}" is dockerd's Engine API, not CRI: a Docker node serves CRI on unix://${join(dataDir, CRI_SOCKET_FILE)}`);
  }
  return m[2]!;
}

/** PURE. The socket crictl dials, by the order above. */
export function chooseCriSocket(c: EndpointChoice): string {
  if (c.flag !== undefined) return criSocketOf(c.flag, '--runtime-endpoint', c.dataDir);
  if (c.env !== undefined && c.env !== '') return criSocketOf(c.env, 'CONTAINER_RUNTIME_ENDPOINT', c.dataDir);
  if (c.recorded.startsWith('docker://')) return join(c.dataDir, CRI_SOCKET_FILE);
  return criSocketOf(c.recorded, `the runtime recorded in ${c.dataDir}`, c.dataDir);
}
