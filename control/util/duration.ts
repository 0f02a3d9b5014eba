/**
 * Go durations, the one parser and printer of them: `parseDuration` reads Go's time.ParseDuration
 * grammar (`[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` or `0`; units ns, us, µs, μs, ms, s, m, h; at most
 * 2^63-1 ns) with its error texts, `formatDuration` prints time.Duration.String() for whole
 * milliseconds. Flags, `@every` cron schedules and kubelet messages all go through here.
 */

const NS_PER_MS = 1_000_000n;
const MAX_NS = (1n << 63n) - 1n;
const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: NS_PER_MS, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Go time.ParseDuration, in nanoseconds; throws an Error with Go's message. */
export function parseDurationNs(orig: string): bigint {
  const invalid = (): Error => new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  let s = orig;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let d = 0n;
  while (s !== '') {
    if (s[0] !== '.' && !isDigit(s[0])) throw invalid();
    let i = 0;
    while (isDigit(s[i])) i++;
    const intPart = s.slice(0, i);
    s = s.slice(i);
    let frac = '';
    if (s[0] === '.') {
      let j = 1;
      while (isDigit(s[j])) j++;
      frac = s.slice(1, j);
      s = s.slice(j);
    }
    if (intPart === '' && frac === '') throw invalid(); // no digits, as in ".s"
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    if (u === 0) throw new Error(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[unitName];
    if (unit === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(orig)}`);
    let v = BigInt(intPart === '' ? '0' : intPart);
    if (v > (1n << 63n) / unit) throw invalid();
    v *= unit;
    // Go scales the fraction in float64 (nanosecond-accurate for fractions of an hour) and truncates
    const f = frac.replace(/0+$/, '').slice(0, 18);
    if (f !== '') v += BigInt(Math.trunc(Number(f) * (Number(unit) / 10 ** f.length)));
    if (v > 1n << 63n) throw invalid();
    d += v;
    if (d > 1n << 63n) throw invalid();
  }
  if (neg) return -d;
  if (d > MAX_NS) throw invalid();
  return d;
}

/** Go time.ParseDuration, in milliseconds (fractional below one millisecond). */
export function parseDuration(s: string): number {
  const ns = parseDurationNs(s);
  return Number(ns / NS_PER_MS) + Number(ns % NS_PER_MS) / 1e6;
}

/** Go's time.Duration.String() for whole milliseconds: "10s", "1m20s", "5m0s", "100ms" (as kubelet messages print). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sMs = ms % 60_000;
  const s = sMs % 1000 === 0 ? String(sMs / 1000) : (sMs / 1000).toFixed(3).replace(/0+$/, '');
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
