/**
 * Reading label selector input (k8s.io/apimachinery/pkg/labels): requirement validation with the
 * upstream error messages (`newRequirement`, upstream NewRequirement) and the `?labelSelector=`
 * syntax (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`; comma is
 * AND), read by a lexer and a recursive-descent parser as upstream labels.Parse does.
 */
import { badRequest } from './status.js';
import { isLabelValue, isQualifiedName } from './validation/names.js';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
export interface Requirement { readonly key: string; readonly operator: Operator; readonly values: readonly string[] }

const quote = (v: string | readonly string[]) =>
  (typeof v === 'string' ? JSON.stringify(v) : `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`);
const invalid = (field: string, value: string | readonly string[], detail: string) => `${field}: Invalid value: ${quote(value)}: ${detail}`;
/** field.ErrorList.ToAggregate().Error(): one message, or `[m1, m2]`. */
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] ?? '' : `[${[...new Set(errs)].join(', ')}]`);

/** Build a requirement (upstream NewRequirement); returns the error text instead of throwing. */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement | string {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalid('key', key, keyErrs.join('; ')));
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
  } else if ((operator === '=' || operator === '==' || operator === '!=') && values.length !== 1) {
    errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
  } else if ((operator === 'exists' || operator === '!') && values.length !== 0) {
    errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
  } else if (operator === 'gt' || operator === 'lt') {
    if (values.length !== 1) errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    });
  }
  values.forEach((v, i) => {
    const valueErrs = isLabelValue(v);
    if (valueErrs.length) errs.push(invalid(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  return errs.length ? aggregate(errs) : { key, operator, values };
}

// ---- the `?labelSelector=` parser (upstream labels.Parse: a lexer, then recursive descent) ----
type TokenKind = 'end' | 'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<';
interface Token { kind: TokenKind; text: string }
const SYMBOLS: ReadonlySet<string> = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const isSpecial = (c: string) => '=!(),><'.includes(c);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i] ?? '')) i++;
    if (i >= s.length) return [...tokens, { kind: 'end', text: '' }];
    let text = '';
    if (isSpecial(s[i] ?? '')) {
      // longest run of special characters that is still a known symbol ("!=", "==", then "=", "!", …)
      while (i < s.length && isSpecial(s[i] ?? '') && SYMBOLS.has(text + s[i])) text += s[i++];
      tokens.push({ kind: text as TokenKind, text });
    } else {
      while (i < s.length && !isSpecial(s[i] ?? '') && !isSpace(s[i] ?? '')) text += s[i++];
      tokens.push({ kind: text === 'in' || text === 'notin' ? text : 'id', text });
    }
  }
}

class ParseError extends Error {}
const fail = (message: string): never => { throw new ParseError(message); };

/** The requirements of a label selector string ('' has none). Throws ApiError 400 with upstream wording. */
export function parseRequirements(s: string): Requirement[] {
  const tokens = lex(s);
  let pos = 0;
  // In value position the keywords `in`/`notin` are ordinary identifiers.
  const asValue = (t: Token): Token => (t.kind === 'in' || t.kind === 'notin' ? { kind: 'id', text: t.text } : t);
  const peek = (): Token => asValue(tokens[pos] ?? { kind: 'end', text: '' });
  const next = (keywords = false): Token => {
    const t = tokens[pos] ?? { kind: 'end', text: '' };
    pos = Math.min(pos + 1, tokens.length - 1);
    return keywords ? t : asValue(t);
  };

  const exactValue = (): string[] => {
    if (peek().kind === 'end' || peek().kind === ',') return [''];
    const t = next();
    return t.kind === 'id' ? [t.text] : fail(`found '${t.text}', expected: identifier`);
  };
  const valueSet = (): string[] => {
    const open = next();
    if (open.kind !== '(') fail(`found '${open.text}' expected: '('`);
    const first = peek();
    if (first.kind === ')') { next(); return ['']; }
    if (first.kind !== 'id' && first.kind !== ',') fail(`found '${first.text}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    for (;;) {
      const t = next();
      if (t.kind === 'id') {
        values.add(t.text);
        const after = peek();
        if (after.kind === ')') break;
        if (after.kind !== ',') fail(`found '${after.text}', expected: ',' or ')'`);
      } else if (t.kind === ',') {
        if (values.size === 0) values.add('');
        if (peek().kind === ')') { values.add(''); break; }
        if (peek().kind === ',') values.add('');
      } else {
        fail(`found '${t.text}', expected: ',', or identifier`);
      }
    }
    if (next().kind !== ')') fail(`found '${first.text}', expected: ')'`);
    return [...values];
  };
  const requirement = (): Requirement => {
    let t = next();
    let op: Operator | undefined;
    if (t.kind === '!') { op = '!'; t = next(); }
    if (t.kind !== 'id') fail(`found '${t.text}', expected: identifier`);
    const keyErrs = isQualifiedName(t.text);
    if (keyErrs.length) fail(invalid('<nil>', t.text, keyErrs.join('; ')));
    const key = t.text;
    if (op === undefined && (peek().kind === 'end' || peek().kind === ',')) op = 'exists';
    if (op === undefined) {
      const o = next(true);
      const ops: Partial<Record<TokenKind, Operator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
      op = ops[o.kind] ?? fail(`found '${o.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const values = op === 'exists' || op === '!' ? [] : op === 'in' || op === 'notin' ? valueSet() : exactValue();
    const r = newRequirement(key, op, [...new Set(values)].sort());
    return typeof r === 'string' ? fail(r) : r;
  };

  const requirements: Requirement[] = [];
  try {
    for (;;) {
      const t = peek();
      if (t.kind === 'end') break;
      if (t.kind !== 'id' && t.kind !== '!') fail(`found '${t.text}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(requirement());
      } catch (err) {
        if (err instanceof ParseError) fail(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const sep = next();
      if (sep.kind === 'end') break;
      if (sep.kind !== ',') fail(`found '${sep.text}', expected: ',' or 'end of string'`);
      const after = peek();
      if (after.kind !== 'id' && after.kind !== '!') fail(`found '${after.text}', expected: identifier after ','`);
    }
  } catch (err) {
    if (err instanceof ParseError) throw badRequest(err.message);
    throw err;
  }
  return requirements;
}
