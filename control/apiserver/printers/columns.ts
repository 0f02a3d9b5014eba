import type { ColumnType, TableColumnDefinition } from './table.js';

/** Builders for column definitions, so printer files read like upstream's AddHandlers lists. */

const NAME_DOC = 'Name must be unique within a namespace. Cannot be updated.';
const AGE_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created.';

export function column(name: string, type: ColumnType, description: string,
  opts: { priority?: number; format?: string } = {}): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** Wide-only (priority 1) column. */
export function wide(name: string, type: ColumnType, description: string): TableColumnDefinition {
  return column(name, type, description, { priority: 1 });
}

export const NAME_COLUMN = column('Name', 'string', NAME_DOC, { format: 'name' });
export const AGE_COLUMN = column('Age', 'string', AGE_DOC);

/** The Containers / Images / Selector trio that workload printers add for -o wide. */
export const TEMPLATE_WIDE_COLUMNS: readonly TableColumnDefinition[] = [
  wide('Containers', 'string', 'Names of each container in the template.'),
  wide('Images', 'string', 'Images referenced by each container in the template.'),
  wide('Selector', 'string', 'Label selector of the pods this object manages.'),
];
