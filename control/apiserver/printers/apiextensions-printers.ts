import { NAME_COLUMN } from './columns.js';
import type { Printer } from './printer.js';

/** kubectl get crd: NAME, CREATED AT (upstream's default table for the CRD kind). */
export const crdPrinter: Printer = {
  columns: [NAME_COLUMN, { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 }],
  row: (obj) => ({ cells: [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? ''] }),
};
