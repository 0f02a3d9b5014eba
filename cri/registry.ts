/**
 * Picks the runtime backend once, by endpoint scheme (kine-style; the URL grammar is endpoint.ts):
 * `docker:///var/run/docker.sock` (or a unix:// path to dockerd) → DockerRuntime;
 * `containerd:///path` or any other `unix:///path` (a CRI v1 gRPC socket: containerd's, or a Docker
 * node's cri.sock) → RemoteRuntime. The CNI and state options are Docker's: a CRI runtime owns them.
 */
import type { Logger } from 'pino';
import type { CniNetworkOptions } from './cni/cni-network.js';
import type { ConflistTemplate } from './cni/conflist.js';
import { parseRuntimeEndpoint } from './endpoint.js';
import type { Runtime } from './types.js';

export interface RuntimeOptions {
  /** The pod network in use until updateRuntimeConfig brings the node's podCIDR. */
  cni: CniNetworkOptions;
  /** Rendered with the podCIDR by updateRuntimeConfig (containerd's CNI conf_template). */
  cniTemplate?: ConflistTemplate;
  stateDir: string;
  pauseImage?: string;
  scope?: string;
  log?: Logger;
  /** Docker: registry mirrors in containerd's config_path layout (a containerd runtime reads its own). */
  registryConfigPath?: string;
  /**
   * Docker: a pull attempt without progress for this long is cancelled (dockershim's
   * --image-pull-progress-deadline, default 1 min). A CRI runtime reports no progress: its whole
   * PullImage call gets this deadline when it is given (default 10 min).
   */
  imagePullProgressDeadlineMs?: number;
  /**
   * A CRI runtime without GetContainerEvents (containerd 1.6): events() relists this often
   * instead (default 1000 ms); 0 relists nothing and events() fails Unimplemented, for a caller
   * that relists anyway (the agent's PLEG), so the runtime is not listed twice a second.
   */
  eventsRelistMs?: number;
}

/**
 * The runtime behind an endpoint. Each implementation is imported when chosen, so a containerd
 * node never loads the Docker runtime (nor a Docker node the gRPC client).
 */
export async function createRuntime(endpoint: string, opts: RuntimeOptions): Promise<Runtime> {
  const ep = parseRuntimeEndpoint(endpoint);
  if (ep.kind === 'containerd') {
    const { RemoteRuntime } = await import('./remote/remote-runtime.js');
    return new RemoteRuntime({ socketPath: ep.address, ...(opts.log === undefined ? {} : { log: opts.log }),
      ...(opts.eventsRelistMs === undefined ? {} : { relistIntervalMs: opts.eventsRelistMs }),
      ...(opts.imagePullProgressDeadlineMs === undefined ? {} : { pullTimeoutMs: opts.imagePullProgressDeadlineMs }) });
  }
  const { DockerRuntime } = await import('./docker/docker-runtime.js');
  return new DockerRuntime({ ...opts, socketPath: ep.socketPath });
}
