/**
 * PURE text formatting after crictl: Go's units.HumanDuration ("About a minute"), decimal sizes
 * with three significant digits ("4.41MB"), IDs cut to 13 characters, and tabwriter tables
 * (cells padded to max(20, width + 3), the last cell of a row unpadded).
 */
export const TRUNCATED_ID_LEN = 13;

/** Go's units.HumanDuration for `ms` milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)} years`;
}

/** "3 minutes ago" for a CRI timestamp in nanoseconds, seen at `nowMs`. */
export function ago(createdAtNs: number, nowMs: number): string {
  return `${humanDuration(nowMs - createdAtNs / 1e6)} ago`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** go-units HumanSizeWithPrecision: decimal units, `precision` significant digits (3 for images, 4 = HumanSize). */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < UNITS.length - 1) { size /= 1000; i++; }
  return `${Number(size.toPrecision(precision))}${UNITS[i]!}`;
}

/** The ID without `prefix` (e.g. "sha256:"), cut to 13 characters. */
export function truncateId(id: string, prefix = ''): string {
  const bare = prefix !== '' && id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return bare.slice(0, TRUNCATED_ID_LEN);
}

/** Go's tabwriter as crictl configures it (minwidth 20, padding 3, spaces). */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, Math.max(20, cell.length + 3)); });
  }
  return rows.map((row) => `${row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)).join('')}\n`).join('');
}
