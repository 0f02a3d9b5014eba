/** Docker timestamps (RFC 3339 with nanoseconds) ↔ CRI nanosecond numbers. */

const ZERO_YEAR = '0001-';

/**
 * "2026-11-21T23:11:07.484211664Z" → nanoseconds since the epoch (0 for Docker's zero time).
 * Numbers this large keep ~256 ns precision, which is enough for ordering container events.
 */
export function dockerTimeToNs(s: string | undefined): number {
  if (s === undefined || s === '' || s.startsWith(ZERO_YEAR)) return 0;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m === null) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? 0 : ms * 1e6;
  }
  const seconds = Date.parse(`${m[1]}${m[3]}`) / 1000;
  const frac = Number(((m[2] ?? '') + '000000000').slice(0, 9));
  return seconds * 1e9 + frac;
}

/** Unix seconds (docker ps `Created`) → ns. */
export function unixSecondsToNs(s: number | undefined): number {
  return (s ?? 0) * 1e9;
}

/** A Date → the fractional unix-seconds string Docker's `since` accepts. */
export function dateToDockerSince(d: Date): string {
  const ms = d.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}
