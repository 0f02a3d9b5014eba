/**
 * The one cron grammar, robfig/cron/v3 ParseStandard's (what CronJob validation and the CronJob
 * controller both use upstream): five fields `minute hour day-of-month month day-of-week` with
 * `*`, `?`, ranges, steps, comma lists and the names JAN-DEC / SUN-SAT; the descriptors
 * @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly and `@every <Go duration>`; an
 * optional `TZ=`/`CRON_TZ=` prefix naming an IANA zone. Errors carry robfig's texts. PURE.
 *
 * Whether a schedule may carry TZ= at all is an API rule (batch validation), not grammar.
 */
import { parseDurationNs } from '../duration.js';
import { isUtc, zoneFormatter } from './time-zone.js';

export type CronErrorCode = 'InvalidSchedule' | 'UnknownTimeZone';

export class CronParseError extends Error {
  constructor(readonly code: CronErrorCode, message: string, opts?: ErrorOptions) {
    super(message, opts);
    this.name = 'CronParseError';
  }
}

/** The values one field allows; `star` when it was `*`/`?` without a step above 1 (day matching reads it). */
export interface CronField { readonly values: ReadonlySet<number>; readonly star: boolean }

/** A parsed schedule; `timeZone` is the IANA zone it runs in, undefined for the caller's default. */
export type CronSpec =
  | { kind: 'fields'; minute: CronField; hour: CronField; dom: CronField; month: CronField; dow: CronField; timeZone?: string }
  | { kind: 'every'; delayMs: number; timeZone?: string };

interface Bounds { min: number; max: number; names?: Readonly<Record<string, number>> }
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const BOUNDS: readonly [Bounds, Bounds, Bounds, Bounds, Bounds] = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const EVERY = '@every ';
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const invalid = (message: string): CronParseError => new CronParseError('InvalidSchedule', message);

/** robfig mustParseInt: Go strconv.Atoi, then no negatives. */
function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw invalid(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const big = BigInt(expr);
  if (big < INT64_MIN || big > INT64_MAX) throw invalid(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`);
  if (big < 0n) throw invalid(`negative number (${big}) not allowed: ${expr}`);
  return Number(big);
}

const parseIntOrName = (expr: string, b: Bounds): number => b.names?.[expr.toLowerCase()] ?? mustParseInt(expr);

/** robfig getRange: one `a`, `a-b`, `*`, `?`, each optionally `/step`, into `values`; returns its star flag. */
function addRange(expr: string, b: Bounds, values: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = parseIntOrName(lowAndHigh[0] ?? '', b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', b);
    else throw invalid(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? '');
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw invalid(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw invalid(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw invalid(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw invalid(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw invalid(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) values.add(i);
  return star;
}

/** robfig getField: comma-separated ranges (empty items skipped, as strings.FieldsFunc does). */
function parseField(field: string, b: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',')) if (expr !== '' && addRange(expr, b, values)) star = true;
  return { values, star };
}

function parseFields(spec: string, timeZone: string | undefined): CronSpec {
  const fields = spec.split(/\s+/).filter((f) => f !== ''); // strings.Fields
  if (fields.length !== 5) throw invalid(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = BOUNDS.map((b, i) => parseField(fields[i] ?? '', b)) as [CronField, CronField, CronField, CronField, CronField];
  return { kind: 'fields', minute, hour, dom, month, dow, ...(timeZone === undefined ? {} : { timeZone }) };
}

function parseDescriptor(spec: string, timeZone: string | undefined): CronSpec {
  const fields = DESCRIPTORS[spec];
  if (fields !== undefined) return parseFields(fields, timeZone);
  if (!spec.startsWith(EVERY)) throw invalid(`unrecognized descriptor: ${spec}`);
  let ns: bigint;
  try {
    ns = parseDurationNs(spec.slice(EVERY.length));
  } catch (err) {
    throw new CronParseError('InvalidSchedule', `failed to parse duration ${spec}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  // robfig Every: at least a second, whole seconds
  const delayNs = ns < 1_000_000_000n ? 1_000_000_000n : ns - (ns % 1_000_000_000n);
  return { kind: 'every', delayMs: Number(delayNs / 1_000_000n), ...(timeZone === undefined ? {} : { timeZone }) };
}

/** A zone name Go's time.LoadLocation would load ('Local' and UTC need no lookup). */
function checkZone(tz: string): string | undefined {
  if (tz === '' || tz === 'Local') return undefined; // LoadLocation: UTC, or this process's zone
  if (isUtc(tz)) return tz;
  try {
    zoneFormatter(tz);
  } catch (err) {
    throw new CronParseError('UnknownTimeZone', `provided bad location ${tz}: unknown time zone ${tz}`, { cause: err });
  }
  return tz;
}

export interface ParseCronOptions {
  /** The zone to run in when the spec has no TZ=/CRON_TZ= prefix (the CronJob's spec.timeZone). */
  timeZone?: string;
}

/** Parses a schedule as robfig ParseStandard does; throws CronParseError. */
export function parseCron(schedule: string, opts: ParseCronOptions = {}): CronSpec {
  if (schedule.length === 0) throw invalid('empty spec string');
  let spec = schedule;
  let tz = opts.timeZone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const end = space < 0 ? spec.length : space; // robfig slices to the first space (and panics without one)
    tz = spec.slice(spec.indexOf('=') + 1, end);
    spec = spec.slice(end).trim();
  }
  const timeZone = tz === undefined ? undefined : checkZone(tz);
  return spec.startsWith('@') ? parseDescriptor(spec, timeZone) : parseFields(spec, timeZone);
}
