import { describe, expect, it } from 'vitest';
import { isApiError } from './status.js';
import {
  everything, formatLabelSelector, nothing, parseLabelSelector, selectorFromLabelSelector,
  selectorFromLabelSelectorOrEverything, selectorFromSet,
} from './labels.js';

function errorOf(fn: () => unknown): { code: number; message?: string } {
  try { fn(); } catch (err) { if (isApiError(err)) return err.status; throw err; }
  throw new Error('expected an ApiError');
}

const labels = { app: 'web', tier: 'fe', n: '5' };

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=other', false],
    ['app!=other', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web,api)', true],
    ['app in (api)', false],
    ['app notin (api)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=fe', true],
    ['app=web,tier=be', false],
    ['  app = web ,  tier in ( fe , be )  ', true],
    ['app=web,!missing,tier', true],
    ['n>4', true],
    ['n<5', false],
    ['missing>1', false],
    ['empty=', false],
    ['x in (in,notin)', false],
  ])('%j matches app=web,tier=fe,n=5: %s', (s, want) => {
    expect(parseLabelSelector(s).matches(labels)).toBe(want);
  });

  it('matches undefined labels like an empty set', () => {
    expect(parseLabelSelector('!a').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a').matches(undefined)).toBe(false);
  });

  it.each([
    ['', ''],
    ['app=web', 'app=web'],
    ['b==1,a!=2', 'a!=2,b==1'],
    ['x in (c, a,b,a)', 'x in (a,b,c)'],
    ['x notin ()', 'x notin ()'],
    ['!x,y', '!x,y'],
    ['n>1', 'n>1'],
    ['a=', 'a='],
  ])('%j prints as %j', (s, want) => {
    expect(parseLabelSelector(s).toString()).toBe(want);
  });

  it('is empty only for the empty string', () => {
    expect(parseLabelSelector('').empty).toBe(true);
    expect(parseLabelSelector(' ').empty).toBe(true);
    expect(parseLabelSelector('a').empty).toBe(false);
  });

  const nameRule = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  it.each([
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${nameRule}`],
    ['env IN (a)', "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['n>x', `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a=-x', 'unable to parse requirement: values[0][a]: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
    ['a=' + 'x'.repeat(64), `unable to parse requirement: values[0][a]: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`],
    ['Bad_Prefix/a', "unable to parse requirement: <nil>: Invalid value: \"Bad_Prefix/a\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    ['a/b/c', "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"],
  ])('%j is 400 BadRequest: %s', (s, message) => {
    expect(errorOf(() => parseLabelSelector(s))).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });

  it('accepts prefixed keys', () => {
    expect(parseLabelSelector('kubernetes.io/cluster-service=true').matches({ 'kubernetes.io/cluster-service': 'true' })).toBe(true);
  });
});

describe('selectors from API objects', () => {
  it.each([
    ['undefined matches nothing', undefined, labels, false, false],
    ['null matches nothing', null, labels, false, false],
    ['{} matches everything', {}, labels, true, true],
    ['matchLabels', { matchLabels: { app: 'web' } }, labels, true, false],
    ['matchLabels mismatch', { matchLabels: { app: 'web', tier: 'be' } }, labels, false, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, labels, true, false],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, labels, false, false],
    ['Exists', { matchExpressions: [{ key: 'n', operator: 'Exists' }] }, labels, true, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'n', operator: 'DoesNotExist' }] }, labels, false, false],
  ])('selectorFromLabelSelector: %s', (_name, ls, l, want, empty) => {
    const sel = selectorFromLabelSelector(ls);
    expect(sel.matches(l)).toBe(want);
    expect(sel.empty).toBe(empty);
  });

  it('selectorFromLabelSelectorOrEverything treats undefined as everything', () => {
    expect(selectorFromLabelSelectorOrEverything(undefined).matches(labels)).toBe(true);
    expect(selectorFromLabelSelectorOrEverything({ matchLabels: { app: 'x' } }).matches(labels)).toBe(false);
  });

  it('rejects an unknown operator', () => {
    expect(errorOf(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })))
      .toMatchObject({ code: 400, message: '"Gt" is not a valid label selector operator' });
  });

  it('rejects In without values', () => {
    expect(errorOf(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })))
      .toMatchObject({ code: 400, message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty" });
  });

  it.each([
    [{ matchLabels: { tier: 'fe', app: 'frontend' } }, 'app=frontend,tier=fe'],
    [{ matchLabels: { app: 'frontend' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, 'app=frontend,tier in (a,b)'],
    [{ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }, { key: 'a', operator: 'Exists' }] }, 'a,!x'],
    [{}, '<none>'],
    [undefined, '<none>'],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, '<error>'],
  ])('formatLabelSelector(%j) = %j', (ls, want) => {
    expect(formatLabelSelector(ls)).toBe(want);
  });

  it('Scale status.selector uses toString() of the selector', () => {
    expect(selectorFromLabelSelector({ matchLabels: { app: 'frontend' } }).toString()).toBe('app=frontend');
  });

  it.each([
    [{ app: 'web' }, true],
    [{ app: 'web', tier: 'be' }, false],
    [{}, true],
    [undefined, true],
  ])('selectorFromSet(%j) matches: %s', (set, want) => {
    expect(selectorFromSet(set).matches(labels)).toBe(want);
  });

  it('everything and nothing', () => {
    expect(everything().matches(undefined)).toBe(true);
    expect(everything().empty).toBe(true);
    expect(nothing().matches(labels)).toBe(false);
    expect(nothing().empty).toBe(false);
    expect(nothing().toString()).toBe('');
  });
});
