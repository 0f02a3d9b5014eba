/** Job status bookkeeping (PURE): counting finalized pods, and the wire form of the status. */
import type { Job } from 'kubernetes-types/batch/v1.js';

/** The status as upstream serializes it: zero counters and empty uid lists omitted. */
export function wireStatus(st: NonNullable<Job['status']>): NonNullable<Job['status']> {
  const out = structuredClone(st);
  for (const f of ['active', 'succeeded', 'failed'] as const) if (out[f] === 0) delete out[f];
  const u = out.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {
    ...(u.succeeded?.length ? { succeeded: u.succeeded } : {}),
    ...(u.failed?.length ? { failed: u.failed } : {}),
  };
  return out;
}

/** Upstream cleanUncountedPodsWithoutFinalizers: uids whose pod no longer holds the finalizer are counted. */
export function moveCounted(status: NonNullable<Job['status']>, uncounted: { succeeded: string[]; failed: string[] }, withFinalizer: ReadonlySet<string>): void {
  const keepS = uncounted.succeeded.filter((id) => withFinalizer.has(id));
  const keepF = uncounted.failed.filter((id) => withFinalizer.has(id));
  status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded.length - keepS.length;
  status.failed = (status.failed ?? 0) + uncounted.failed.length - keepF.length;
  uncounted.succeeded.splice(0, uncounted.succeeded.length, ...keepS);
  uncounted.failed.splice(0, uncounted.failed.length, ...keepF);
}
