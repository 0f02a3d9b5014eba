import { findByKind, groupVersion, RESOURCES } from '../../api/resources.js';
import type { KubeObject } from './kube-object.js';
import { printerFor } from './printers.js';
import type { Printer } from './printer.js';
import type { IncludeObject, PartialObjectMetadata, Table, TableRow } from './table.js';

export interface PrintTableOptions {
  now: Date;
  /** What rows carry besides cells (`?includeObject=`); kubectl's default request is Metadata. */
  includeObject: IncludeObject;
  /** The list's resourceVersion (for a single object, its own). */
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
  /** false for rows only, as in every Table watch event after the first. Default true. */
  withColumns?: boolean;
  /** The printer to use instead of the kind's (custom resources print their CRD's columns). */
  printer?: Printer;
}

/**
 * PURE. Renders objects of one kind as a meta.k8s.io/v1 Table, as the API server answers
 * `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`. Cells always include the wide columns.
 */
export function printTable(kind: string, objects: readonly KubeObject[], opts: PrintTableOptions): Table {
  const printer = opts.printer ?? printerFor(kind);
  const ctx = { now: opts.now };
  const rows = objects.map((obj): TableRow => {
    const printed = printer.row(obj, ctx);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    const object = rowObject(kind, obj, opts.includeObject);
    if (object) row.object = object;
    return row;
  });

  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;

  const table: Table = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, rows };
  if (opts.withColumns !== false) table.columnDefinitions = printer.columns.map((c) => ({ ...c }));
  return table;
}

function rowObject(kind: string, obj: KubeObject, include: IncludeObject): PartialObjectMetadata | KubeObject | undefined {
  switch (include) {
    case 'None':
      return undefined;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
    case 'Object':
      return withTypeMeta(kind, obj);
  }
}

/** The full object as its own version would serve it: kind and apiVersion filled in when missing. */
function withTypeMeta(kind: string, obj: KubeObject): KubeObject {
  if (obj.kind && obj.apiVersion) return obj;
  const info = obj.apiVersion ? findByKind(obj.apiVersion, kind) : RESOURCES.find((r) => r.kind === kind);
  return { ...obj, kind: obj.kind ?? kind, apiVersion: obj.apiVersion ?? (info ? groupVersion(info) : undefined) };
}
