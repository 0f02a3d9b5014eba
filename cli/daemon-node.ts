/**
 * How tinykube starts its long-running processes (the server and the agents): node flags and
 * environment that keep them small. Node's default young generation grows to 3 × 16 MiB under
 * load and glibc gives each thread its own malloc arena; a control plane or agent allocates little
 * per request, so a 1 MiB semi-space and two arenas cost no measurable time and save ~35 MiB of
 * RSS per process (test/bench/pod-start prints the figures). Used by `up`, `cluster up`, the test
 * helpers, and scripts/tinykube (which repeats the flag for foreground use).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * The agent's: the above plus V8's --optimize-for-size (smaller heap growth steps, memory reducer
 * sooner). An agent's old generation grew ~17 MiB while 30 pods started and stayed there with a
 * live heap of 23 MiB; with this flag it grew ~9 MiB (containerd node, 30 pods: anonymous memory
 * 44.6 vs 56.1 MiB). The control plane keeps the plain flags: it did not shrink and serves the
 * request rates the API benchmarks measure.
 */
export const AGENT_NODE_FLAGS: readonly string[] = [...DAEMON_NODE_FLAGS, '--optimize-for-size'];

/**
 * The environment of a daemon: `env` plus MALLOC_ARENA_MAX=2 unless it is set, and without
 * NODE_EXTRA_CA_CERTS. Node parses that bundle into every process at start (the system bundle:
 * ~1.1 MiB of heap each), and a daemon trusts only the CAs it is given: the cluster CA towards the
 * API server and the nodes, etcd's own. Nothing it dials is verified against the system's roots.
 */
export function daemonEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return { ...rest, MALLOC_ARENA_MAX: env['MALLOC_ARENA_MAX'] ?? '2' };
}
