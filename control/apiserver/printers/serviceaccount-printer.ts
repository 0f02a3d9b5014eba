import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column } from './columns.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';

/** upstream printServiceAccount: NAME SECRETS AGE, the secrets as a count. */
export const serviceAccountPrinter = definePrinter<ServiceAccount>([
  NAME_COLUMN,
  column('Secrets', 'string', 'Secrets in the same namespace that pods running as this ServiceAccount may use.'),
  AGE_COLUMN,
], (sa, ctx) => [sa.metadata?.name ?? '', (sa.secrets ?? []).length, sinceTimestamp(sa.metadata?.creationTimestamp, ctx.now)]);
