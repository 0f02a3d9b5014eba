/**
 * Builders for upstream field.Error values, with messages worded as field.Error.ErrorBody():
 * `<Type string>[: <bad value>][: <detail>]`. Bad values print the way Go's fmt does for the
 * types upstream passes (%q for strings, %v for numbers, %#v for maps, slices and structs).
 */
import type { FieldError } from '../status.js';

/** A value already rendered in Go %#v form (maps, slices, structs). */
export class GoRaw {
  constructor(readonly text: string) {}
}

export type BadValue = string | number | boolean | null | undefined | GoRaw;

/** Go strconv.Quote for the characters that occur in practice. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function fmtBadValue(v: BadValue): string {
  if (v instanceof GoRaw) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  return String(v);
}

/** `map[string]string{"a":"b", "c":"d"}` (Go prints map keys sorted). */
export function goStringMap(m: Readonly<Record<string, string>> | undefined): GoRaw {
  if (m === undefined) return new GoRaw('map[string]string(nil)');
  const keys = Object.keys(m).sort();
  return new GoRaw(`map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(m[k] ?? '')}`).join(', ')}}`);
}

/** `[]string{"a", "b"}` */
export function goStringSlice(a: readonly string[] | undefined): GoRaw {
  if (a === undefined) return new GoRaw('[]string(nil)');
  return new GoRaw(`[]string{${a.map(goQuote).join(', ')}}`);
}

export interface SelectorRequirement { key: string; operator: string; values?: string[] }

/** metav1.LabelSelector as %#v prints it (the internal type lives in package v1). */
export function goLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: SelectorRequirement[] }): GoRaw {
  const exprs = sel.matchExpressions === undefined
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${sel.matchExpressions.map((e) =>
      `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${goStringSlice(e.values).text}}`).join(', ')}}`;
  return new GoRaw(`v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels).text}, MatchExpressions:${exprs}}`);
}

function withDetail(head: string, detail: string): string {
  return detail ? `${head}: ${detail}` : head;
}

export const required = (field: string, detail = ''): FieldError =>
  ({ type: 'FieldValueRequired', field, message: withDetail('Required value', detail) });

export const invalid = (field: string, value: BadValue, detail: string): FieldError =>
  ({ type: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${fmtBadValue(value)}`, detail) });

export const notSupported = (field: string, value: BadValue, valid: readonly string[]): FieldError =>
  ({
    type: 'FieldValueNotSupported', field,
    message: withDetail(`Unsupported value: ${fmtBadValue(value)}`, valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : ''),
  });

export const duplicate = (field: string, value: BadValue): FieldError =>
  ({ type: 'FieldValueDuplicate', field, message: `Duplicate value: ${fmtBadValue(value)}` });

export const forbidden = (field: string, detail: string): FieldError =>
  ({ type: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) });

export const tooLong = (field: string, max: number): FieldError =>
  ({ type: 'FieldValueTooLong', field, message: `Too long: must have at most ${max} bytes` });

/**
 * Upstream reports a reference to something absent (a volumeMount naming no volume) as
 * FieldValueNotFound. That reason is not in the shared FieldError union yet, so it is widened here.
 */
export const notFound = (field: string, value: BadValue): FieldError =>
  ({ type: 'FieldValueNotFound' as unknown as FieldError['type'], field, message: `Not found: ${fmtBadValue(value)}` });

/** `field is immutable` at the new value. */
export const immutable = (field: string, value: BadValue): FieldError => invalid(field, value, 'field is immutable');

export const IS_NEGATIVE = 'must be greater than or equal to 0';

export function nonNegative(field: string, v: unknown): FieldError[] {
  return typeof v === 'number' && v < 0 ? [invalid(field, v, IS_NEGATIVE)] : [];
}
