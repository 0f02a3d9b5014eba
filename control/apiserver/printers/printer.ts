import type { KubeObject } from './kube-object.js';
import type { TableCell, TableColumnDefinition, TableRowCondition } from './table.js';

export interface PrintContext {
  /** The clock every AGE-like cell is measured against (injected so tests are exact). */
  now: Date;
}

export interface PrintedRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
}

/**
 * One kind's printer: its columns and a pure function from object to cells. Cells always include
 * the wide (priority 1) columns, as the API server prints with Wide=true and kubectl hides them.
 */
export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  row(obj: KubeObject, ctx: PrintContext): PrintedRow;
}

/**
 * Builds a Printer for a typed kind. The store hands us decoded JSON of that kind, so viewing it
 * as the kubernetes-types shape is the one unchecked step; every field is still optional there.
 */
export function definePrinter<T>(columns: readonly TableColumnDefinition[],
  row: (obj: T, ctx: PrintContext) => PrintedRow | TableCell[]): Printer {
  return {
    columns,
    row(obj, ctx) {
      const out = row(obj as unknown as T, ctx);
      return Array.isArray(out) ? { cells: out } : out;
    },
  };
}
