/** The controller manager's settings (a part of upstream's KubeControllerManagerConfiguration). */

export interface ControllerOptions {
  /** Cluster CIDR from which nodes get a /24 podCIDR each. */
  clusterCidr: string;
  /** A node whose Lease is older than this is NotReady/Unknown (upstream 1.32: 50 s). */
  nodeMonitorGracePeriodMs: number;
  /** How often the node lifecycle controller looks (upstream: 5 s). */
  nodeMonitorPeriodMs: number;
  /**
   * The cluster CA: its certificate for the `kube-public/cluster-info` kubeconfig, its key for the
   * CSR signer. Absent in tests that do not need them (those controllers then do nothing).
   */
  ca?: { certPem: string; keyPem: string };
  /** The API server URL nodes reach (cluster-info's kubeconfig): https://<advertise address>:<port>. */
  advertisedServer?: string;
  /** PEM private key that signs ServiceAccount tokens (the PKI's sa.key); without it the tokens controller does nothing. */
  serviceAccountKeyPem?: string;
  /** Give every ServiceAccount a `<sa>-token-<random>` Secret, as Kubernetes ≤1.23 did (--legacy-service-account-token-secrets). */
  legacyServiceAccountTokenSecrets?: boolean;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  clusterCidr: '10.244.0.0/16',
  nodeMonitorGracePeriodMs: 50_000,
  nodeMonitorPeriodMs: 5_000,
};
