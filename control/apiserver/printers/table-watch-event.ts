import type { KubeObject } from './kube-object.js';
import { printTable } from './print-table.js';
import type { Printer } from './printer.js';
import type { IncludeObject, Table } from './table.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface TableWatchEvent {
  type: WatchEventType;
  object: Table;
}

export interface TableWatchEventOptions {
  now: Date;
  includeObject: IncludeObject;
  /** The real API server sends columnDefinitions only in the first event of a watch. */
  withColumns: boolean;
  printer?: Printer;
}

/**
 * PURE. One watch event of `kubectl get -w`: a one-row Table whose resourceVersion is the object's.
 */
export function tableWatchEvent(type: WatchEventType, kind: string, obj: KubeObject, opts: TableWatchEventOptions): TableWatchEvent {
  const rv = obj.metadata?.resourceVersion;
  const table = printTable(kind, [obj], {
    now: opts.now,
    includeObject: opts.includeObject,
    withColumns: opts.withColumns,
    ...(opts.printer ? { printer: opts.printer } : {}),
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
  });
  return { type, object: table };
}
