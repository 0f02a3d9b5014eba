/** The usage lines of `tinykube cluster` (kept apart so `tinykube help` loads nothing else). */
import { DEFAULT_CLUSTERS_ROOT } from '../defaults.js';

export const CLUSTER_USAGE = `  cluster up --name C [--nodes 1] [--runtime docker|containerd] [--data-dir ${DEFAULT_CLUSTERS_ROOT}/C] [--api-port 6443]
             [--legacy-service-account-token-secrets] [--node-monitor-grace-period 50s] [--node-monitor-period 5s]
                                                           a local cluster: N nodes in network namespaces, the control plane on the host
                                                           (containerd: one containerd per node, in its namespace)
  cluster down --name C [--keep-data]                      remove it: processes, pods, containerds, namespaces, links, routes (and its data)
  cluster list                                             the local clusters, their nodes, status and kubeconfig
`;
