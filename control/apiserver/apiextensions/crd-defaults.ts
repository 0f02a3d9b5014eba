/** Defaulting of a CustomResourceDefinition (upstream apiextensions v1 SetDefaults_*). Mutates the object. */
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';

export function defaultCrd(crd: CustomResourceDefinition): void {
  const spec = crd.spec;
  if (!spec) return;
  const names = spec.names;
  if (names?.kind) {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  if (!spec.conversion) spec.conversion = { strategy: 'None' };
  else if (!spec.conversion.strategy) spec.conversion.strategy = 'None';
  if (spec.conversion.strategy === 'Webhook' && spec.conversion.webhook?.clientConfig?.service && spec.conversion.webhook.clientConfig.service.port === undefined) {
    spec.conversion.webhook.clientConfig.service.port = 443;
  }
}
