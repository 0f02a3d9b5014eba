import type { ObjectMeta } from './kube-object.js';
import type { KubeObject } from './kube-object.js';

/** meta.k8s.io/v1 Table types, with the JSON names kubectl reads. */

export const INCLUDE_OBJECT = ['None', 'Metadata', 'Object'] as const;
/** `?includeObject=`: what each row carries besides its cells. kubectl asks for Metadata by default. */
export type IncludeObject = (typeof INCLUDE_OBJECT)[number];

/** Column types the printers use (OpenAPI type names; "date" is what the generic convertor uses). */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumnDefinition {
  name: string;
  type: ColumnType;
  format: string;
  description: string;
  /** 0 = always shown; 1 = shown only by `kubectl get -o wide`. */
  priority: number;
}

export type TableCell = string | number | boolean;

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  object?: PartialObjectMetadata | KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** Omitted when the caller asked for rows only (later events of a Table watch). */
  columnDefinitions?: TableColumnDefinition[];
  rows: TableRow[];
}
