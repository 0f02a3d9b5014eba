/** `tinykube server` flags without a value (`--x` or `--x=true|false`); `up`, `init` and `cluster up` pass them on. */
export const SERVER_BOOLEAN_FLAGS = ['legacy-service-account-token-secrets'] as const;
/** `tinykube server` flags with a value; `up` and `init` pass them on (kept here, so they need not load the control plane to parse). */
export const SERVER_FLAGS = ['data-dir', 'listen', 'store', 'service-cidr', 'cluster-cidr', 'node-port-range', 'advertise-address',
  'node-monitor-grace-period', 'node-monitor-period', 'leader-elect', 'etcd-cafile', 'etcd-certfile', 'etcd-keyfile',
  'max-watches', 'max-watches-per-user'] as const;
