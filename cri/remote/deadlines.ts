/**
 * Per-call deadlines of the CRI client (kubelet has one 2 min runtime-request-timeout; we are
 * tighter where a call is a lookup). Every call gets one: a wedged runtime must not wedge a pod worker.
 */
export const DEADLINES = {
  /** Version, Status, lists, statuses, stats, image status: lookups. */
  lookupMs: 10_000,
  /** Sandbox and container lifecycle (run, create, start, remove; CNI and mounts happen here). */
  lifecycleMs: 120_000,
  /** PullImage: layers may be large. */
  pullMs: 600_000,
  /** Added to a stop's grace period and to an exec's timeout, so the runtime answers first. */
  marginMs: 15_000,
  /** ExecSync with timeout 0 (no timeout of its own). */
  execNoTimeoutMs: 120_000,
} as const;

/** The deadline of a call that may take `seconds` of its own (stop grace, exec timeout). */
export const withMargin = (seconds: number, fallbackMs: number): number =>
  seconds > 0 ? seconds * 1000 + DEADLINES.marginMs : fallbackMs;
