/**
 * The names upstream's bootstrap tokens are made of (k8s.io/cluster-bootstrap token/api): the
 * Secret that holds a token, its data keys, the user a token authenticates as, and the
 * `kube-public/cluster-info` ConfigMap the bootstrap signer signs with every signing token. In
 * control/api because the authorizer, the token code, the controllers and the CLI all speak them.
 */

/** Tokens live in this namespace, one Secret each. */
export const TOKEN_NAMESPACE = 'kube-system';
/** Secret name = prefix + token id. */
export const TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';

export const KEY_TOKEN_ID = 'token-id';
export const KEY_TOKEN_SECRET = 'token-secret';
/** RFC3339; absent means the token never expires. */
export const KEY_EXPIRATION = 'expiration';
export const KEY_DESCRIPTION = 'description';
/** Comma-separated groups beyond `system:bootstrappers`. */
export const KEY_EXTRA_GROUPS = 'auth-extra-groups';
/** `usage-bootstrap-<usage>: "true"` marks a usage. */
export const USAGE_KEY_PREFIX = 'usage-bootstrap-';

export type TokenUsage = 'signing' | 'authentication';
export const KNOWN_USAGES: readonly TokenUsage[] = ['signing', 'authentication'];

/** Authenticated tokens are `system:bootstrap:<id>`, in this group plus their extra groups. */
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
/** kubeadm's `system:bootstrappers:kubeadm:default-node-token`, in our name. */
export const DEFAULT_NODE_TOKEN_GROUP = 'system:bootstrappers:tinykube:default-node-token';
/** What an extra group must look like (upstream BootstrapGroupPattern). */
export const EXTRA_GROUP_PATTERN = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

export const CLUSTER_INFO_NAMESPACE = 'kube-public';
export const CLUSTER_INFO_NAME = 'cluster-info';
/** The ConfigMap key holding the discovery kubeconfig. */
export const CLUSTER_INFO_KUBECONFIG_KEY = 'kubeconfig';
/** `jws-kubeconfig-<token id>`: the detached JWS of the kubeconfig, keyed by the token secret. */
export const JWS_KEY_PREFIX = 'jws-kubeconfig-';
