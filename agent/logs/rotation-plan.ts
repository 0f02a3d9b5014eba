/**
 * PURE. What one rotation round does with a container's log files (the kubelet's container log
 * manager, pkg/kubelet/logs): the live file `<log>` is renamed to `<log>.<YYYYMMDD-HHMMSS>` and the
 * runtime reopens `<log>`; older rotated files are gzipped to `<log>.<stamp>.gz` (written as
 * `<log>.<stamp>.tmp`, then renamed). Before that, leftovers of a failed round go (`*.tmp`, an uncompressed
 * file whose `.gz` exists) and the oldest rotated files go until at most maxFiles - 2 remain: with
 * the live file and the one about to be rotated that makes maxFiles.
 */

export const COMPRESS_SUFFIX = '.gz';
export const TMP_SUFFIX = '.tmp';

export interface RotationPlan {
  /** Files to delete, oldest first (never the live log). */
  remove: string[];
  /** Rotated files to gzip (each to `<name>.gz`, then deleted). */
  compress: string[];
}

/** The rotated name of `log` at `now`: `<log>.20260102-150405`, local time as the kubelet's clock formats it. */
export function rotatedName(log: string, now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${log}.${stamp}`;
}

/**
 * The plan for the rotated files of `log`, given the paths of its directory (only those that
 * start with `<log>.` count), keeping at most `maxFiles - 2` of them.
 */
export function planRotation(log: string, siblings: readonly string[], maxFiles: number): RotationPlan {
  const rotated = siblings.filter((s) => s.startsWith(`${log}.`));
  const set = new Set(rotated);
  const unused = (f: string): boolean => f.endsWith(TMP_SUFFIX) || (!f.endsWith(COMPRESS_SUFFIX) && set.has(`${f}${COMPRESS_SUFFIX}`));
  const remove = rotated.filter(unused);
  // names sort oldest to newest (the stamp is fixed width); the oldest go first so a reader of a newer one is not cut
  const inUse = rotated.filter((f) => !unused(f)).sort();
  const keep = Math.max(0, maxFiles - 2);
  const excess = Math.max(0, inUse.length - keep);
  remove.push(...inUse.slice(0, excess));
  const kept = inUse.slice(excess);
  return { remove, compress: kept.filter((f) => !f.endsWith(COMPRESS_SUFFIX)) };
}
