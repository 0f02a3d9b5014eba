/** The command line's defaults, in one place: where state lives and where the runtimes listen. */
import { join } from 'node:path';
import { runtimeEndpointFlag, UsageError } from './flags.js';

/** `up`, `server`, `agent`, `join`, `init`, `doctor`, `down`: the data dir unless --data-dir says otherwise. */
export const DEFAULT_DATA_DIR = '/var/lib/tinykube';
/** The admin kubeconfig `up`/`init` write, which `token` uses when --kubeconfig is absent. */
export const DEFAULT_KUBECONFIG = join(DEFAULT_DATA_DIR, 'admin.kubeconfig');
/** Where `cluster up` keeps each local cluster's state. */
export const DEFAULT_CLUSTERS_ROOT = join(DEFAULT_DATA_DIR, 'clusters');

export const DOCKER_ENDPOINT = 'docker:///var/run/docker.sock';
export const CONTAINERD_ENDPOINT = 'containerd:///run/containerd/containerd.sock';
/** The runtime a node uses when neither --runtime nor --runtime-endpoint names one. */
export const DEFAULT_RUNTIME_ENDPOINT = DOCKER_ENDPOINT;

const RUNTIMES: Readonly<Record<string, string>> = { docker: DOCKER_ENDPOINT, containerd: CONTAINERD_ENDPOINT };

/** --runtime docker|containerd → its default endpoint; `allowed` narrows the choice (cluster up: docker only). */
export function runtimeEndpointOf(runtime: string, allowed: readonly string[] = Object.keys(RUNTIMES)): string {
  const endpoint = allowed.includes(runtime) ? RUNTIMES[runtime] : undefined;
  if (endpoint === undefined) throw new UsageError(`--runtime must be ${allowed.join(' or ')}, not "${runtime}"`);
  return endpoint;
}

/**
 * The node's runtime endpoint from `--runtime` and `--runtime-endpoint` (up, init, join, agent):
 * the endpoint when given (checked), else the default endpoint of --runtime, else Docker's. A bad
 * --runtime is refused even beside an endpoint.
 */
export function chooseRuntimeEndpoint(f: { runtime?: string | undefined; runtimeEndpoint?: string | undefined }): string {
  const byRuntime = f.runtime === undefined ? DEFAULT_RUNTIME_ENDPOINT : runtimeEndpointOf(f.runtime);
  if (f.runtimeEndpoint === undefined) return byRuntime;
  runtimeEndpointFlag(f.runtimeEndpoint);
  return f.runtimeEndpoint;
}
