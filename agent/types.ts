/** Contracts between the agent's parts (kubelet core, node API, netproxy later). */

/** What the node API needs from the kubelet core to find a pod's containers in the runtime. */
export interface PodLookup {
  /** The runtime id of a container of a pod on this node; `previous` = the last terminated instance. */
  containerId(namespace: string, pod: string, container: string, opts?: { previous?: boolean }): Promise<string | undefined>;
  /** The runtime id of the pod's sandbox (for port-forward). */
  sandboxId(namespace: string, pod: string): Promise<string | undefined>;
}

/** Default port of the node API (the kubelet's). */
export const NODE_API_PORT = 10250;
