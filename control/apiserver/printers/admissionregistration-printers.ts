import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from 'kubernetes-types/admissionregistration/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column } from './columns.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';

/** upstream printValidatingWebhook / printMutatingWebhook: NAME, WEBHOOKS, AGE. */
const webhookConfigurationPrinter = <T extends ValidatingWebhookConfiguration | MutatingWebhookConfiguration>() => definePrinter<T>([
  NAME_COLUMN,
  column('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration.'),
  AGE_COLUMN,
], (c, ctx) => [c.metadata?.name ?? '', (c.webhooks ?? []).length, sinceTimestamp(c.metadata?.creationTimestamp, ctx.now)]);

export const validatingWebhookConfigurationPrinter = webhookConfigurationPrinter<ValidatingWebhookConfiguration>();
export const mutatingWebhookConfigurationPrinter = webhookConfigurationPrinter<MutatingWebhookConfiguration>();
