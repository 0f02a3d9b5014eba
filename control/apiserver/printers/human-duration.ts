/**
 * Go's k8s.io/apimachinery/pkg/util/duration.HumanDuration, the AGE format of every printer:
 * ~2-3 significant figures, "<invalid>" for more than a second of clock skew into the future.
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const HOURS_PER_DAY = 24;
const DAYS_PER_YEAR = 365;

/** Go's integer conversion of a float: truncate toward zero (and never print "-0"). */
const trunc = (n: number): number => Math.trunc(n) + 0;

export function humanDuration(ms: number): string {
  if (Number.isNaN(ms)) return '<invalid>';
  const seconds = trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * 60) return `${seconds}s`;

  const minutes = trunc(ms / MS_PER_MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = trunc(ms / MS_PER_HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = trunc(hours / HOURS_PER_DAY);
  if (hours < HOURS_PER_DAY * 8) {
    const h = hours % HOURS_PER_DAY;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < HOURS_PER_DAY * DAYS_PER_YEAR * 2) return `${days}d`;

  const years = trunc(days / DAYS_PER_YEAR);
  if (hours < HOURS_PER_DAY * DAYS_PER_YEAR * 8) {
    const d = days % DAYS_PER_YEAR;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Go's zero time.Time (0001-01-01T00:00:00Z), which upstream treats as "not set". */
const GO_ZERO_TIME_MS = -62_135_596_800_000;

/**
 * upstream translateTimestampSince: HumanDuration(now - ts), or "<unknown>" when the timestamp is
 * unset (also for Go's zero time) or unparsable.
 */
export function sinceTimestamp(ts: string | undefined | null, now: Date): string {
  if (!ts) return '<unknown>';
  const at = Date.parse(ts);
  if (Number.isNaN(at) || at <= GO_ZERO_TIME_MS) return '<unknown>';
  return humanDuration(now.getTime() - at);
}
