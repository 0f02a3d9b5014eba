/** Typed access to the query parameters the apiserver honours. */
import { queryBool } from '../../api/query-bool.js';
import { badRequest } from '../../api/status.js';
import type { FieldValidation } from '../registry/resource-handler.js';

export type Query = Record<string, string | string[] | undefined>;

export function q(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

export function qAll(query: Query, name: string): string[] {
  const v = query[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** A boolean parameter as upstream's parameter codec reads it (api/query-bool.ts): `True` is true, never a 400. */
export function qBool(query: Query, name: string): boolean {
  return queryBool(q(query, name));
}

export function qInt(query: Query, name: string): number | undefined {
  const v = q(query, name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

export function fieldValidationOf(query: Query): FieldValidation {
  const v = q(query, 'fieldValidation');
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}; must be one of: Ignore, Warn, Strict`);
}

export function dryRunOf(query: Query): boolean {
  const all = qAll(query, 'dryRun');
  for (const v of all) if (v !== 'All') throw badRequest(`Invalid dryRun value: ${v}; supported values: "All"`);
  return all.length > 0;
}
