/**
 * How tinykube starts its long-running processes (the server and the agents): node flags and
 * environment that keep them small. Node's default young generation grows to 3 × 16 MiB under
 * load and glibc gives each thread its own malloc arena; a control plane or agent allocates little
 * per request, so a 1 MiB semi-space and two arenas cost no measurable time and save ~35 MiB of
 * RSS per process (test/bench/pod-start prints the figures). Used by `up`, `cluster up`, the test
 * helpers, and scripts/tinykube (which repeats the flag for foreground use).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** The environment of a daemon: `env` plus MALLOC_ARENA_MAX=2 unless it is set. */
export function daemonEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, MALLOC_ARENA_MAX: env['MALLOC_ARENA_MAX'] ?? '2' };
}
