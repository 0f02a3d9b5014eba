/** `tinykube server` flags without a value (`--x` or `--x=true|false`); `up`, `init` and `cluster up` pass them on. */
export const SERVER_BOOLEAN_FLAGS = ['legacy-service-account-token-secrets'] as const;
