/** The benchmark's raw CRI client: RemoteRuntime (cri/remote, what the agent uses) on a containerd:// endpoint. */
import { parseRuntimeEndpoint } from '../../cri/endpoint.js';
import { RemoteRuntime } from '../../cri/remote/remote-runtime.js';

export function openCriRuntime(endpoint: string): RemoteRuntime {
  const ep = parseRuntimeEndpoint(endpoint);
  if (ep.kind !== 'containerd') throw new Error(`not a containerd endpoint: ${endpoint}`);
  return new RemoteRuntime({ socketPath: ep.address });
}
