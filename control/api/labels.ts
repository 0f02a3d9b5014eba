/**
 * Label selectors as the apiserver understands them (k8s.io/apimachinery/pkg/labels): matching
 * and canonical printing; `parseLabelSelector` reads the `?labelSelector=` syntax and
 * `selectorFromLabelSelector` converts a metav1 LabelSelector (matchLabels + matchExpressions).
 * Invalid input throws ApiError 400 BadRequest (the wording comes from label-parser.ts).
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { newRequirement, parseRequirements } from './label-parser.js';
import type { Operator, Requirement } from './label-parser.js';
import { badRequest } from './status.js';

export type Labels = Readonly<Record<string, string>> | undefined;

export interface Selector {
  matches(labels: Labels): boolean;
  /** True when the selector does not restrict anything (matches every object). */
  readonly empty: boolean;
  readonly requirements: readonly Requirement[];
  /** Canonical form, e.g. `app=frontend,tier in (a,b)`; '' for everything and for nothing. */
  toString(): string;
}

// ---- matching and printing ----
function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] ?? '' : undefined;
  switch (r.operator) {
    case '=': case '==': case 'in': return value !== undefined && r.values.includes(value);
    case '!=': case 'notin': return value === undefined || !r.values.includes(value);
    case 'exists': return has;
    case '!': return !has;
    case 'gt': case 'lt': {
      if (value === undefined || !/^[+-]?\d+$/.test(value) || r.values.length !== 1) return false;
      const [a, b] = [BigInt(value), BigInt(r.values[0] ?? '0')];
      return r.operator === 'gt' ? a > b : a < b;
    }
  }
}

const OP_TEXT: Record<Operator, string> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', exists: '', '!': '', gt: '>', lt: '<' };

function requirementString(r: Requirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0] ?? '' : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${r.key}${OP_TEXT[r.operator]}(${values})` : `${r.key}${OP_TEXT[r.operator]}${values}`;
}

function makeSelector(requirements: Requirement[]): Selector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    empty: sorted.length === 0,
    matches: (labels) => sorted.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => sorted.map(requirementString).join(','),
  };
}

/** Matches every object. */
export const everything = (): Selector => makeSelector([]);
/** Matches no object (a nil LabelSelector in the API). */
export const nothing = (): Selector => ({ requirements: [], empty: false, matches: () => false, toString: () => '' });

/** A selector requiring each label of `set` (a Service or ReplicationController `selector`); empty matches everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): Selector {
  return makeSelector(Object.entries(set ?? {}).map(([key, value]) => ({ key, operator: '=', values: [value] })));
}

const EXPRESSION_OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: undefined/null matches NOTHING, `{}` matches everything.
 * Use this for workload selectors (Deployment, ReplicaSet, Job…).
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === undefined || ls === null) return nothing();
  return selectorFromLabelSelectorOrEverything(ls);
}

/** Like selectorFromLabelSelector, but undefined/null matches EVERYTHING (e.g. an absent namespaceSelector). */
export function selectorFromLabelSelectorOrEverything(ls: LabelSelector | null | undefined): Selector {
  const requirements: Requirement[] = [];
  const add = (key: string, op: Operator, values: string[]) => {
    const r = newRequirement(key, op, values);
    if (typeof r === 'string') throw badRequest(r);
    requirements.push(r);
  };
  for (const [k, v] of Object.entries(ls?.matchLabels ?? {})) add(k, '=', [v]);
  for (const expr of ls?.matchExpressions ?? []) {
    const op = EXPRESSION_OPS[expr.operator];
    if (op === undefined) throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    add(expr.key, op, [...(expr.values ?? [])]);
  }
  return makeSelector(requirements);
}

/** metav1.FormatLabelSelector, as kubectl prints it: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  try {
    return selectorFromLabelSelector(ls).toString() || '<none>';
  } catch {
    return '<error>';
  }
}


/** Parse a label selector string; '' matches everything. Throws ApiError 400 with upstream wording. */
export function parseLabelSelector(s: string): Selector {
  return makeSelector(parseRequirements(s));
}
