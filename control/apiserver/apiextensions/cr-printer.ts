/**
 * Table printing of custom resources (upstream's CRD table convertor): NAME, then the version's
 * additionalPrinterColumns evaluated by JSONPath (date columns as ages), or AGE when there are none.
 */
import type { CustomResourceColumnDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { AGE_COLUMN, NAME_COLUMN } from '../printers/columns.js';
import { sinceTimestamp } from '../printers/human-duration.js';
import type { Printer } from '../printers/printer.js';
import type { ColumnType, TableCell, TableColumnDefinition } from '../printers/table.js';
import { evalJsonPath } from './json-path.js';

const TYPES: readonly ColumnType[] = ['string', 'integer', 'number', 'boolean', 'date'];

function cell(col: CustomResourceColumnDefinition, obj: unknown, now: Date): TableCell {
  const found = evalJsonPath(obj, col.jsonPath);
  if (found.length === 0) return '';
  const v = found[0];
  if (col.type === 'date') return typeof v === 'string' ? sinceTimestamp(v, now) : '';
  if (col.type === 'integer' || col.type === 'number') return typeof v === 'number' ? v : '';
  if (col.type === 'boolean') return typeof v === 'boolean' ? v : '';
  const all = found.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return all.join(',');
}

export function customResourcePrinter(columns: readonly CustomResourceColumnDefinition[]): Printer {
  if (columns.length === 0) {
    return { columns: [NAME_COLUMN, AGE_COLUMN], row: (obj, ctx) => ({ cells: [obj.metadata?.name ?? '', sinceTimestamp(obj.metadata?.creationTimestamp, ctx.now)] }) };
  }
  const defs: TableColumnDefinition[] = [NAME_COLUMN, ...columns.map((c) => ({
    name: c.name, type: (TYPES.includes(c.type as ColumnType) ? c.type : 'string') as ColumnType,
    format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0,
  }))];
  return {
    columns: defs,
    row: (obj, ctx) => ({ cells: [obj.metadata?.name ?? '', ...columns.map((c) => cell(c, obj, ctx.now))] }),
  };
}
