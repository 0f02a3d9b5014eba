/** admissionregistration.k8s.io/v1 defaults (upstream SetDefaults_ValidatingWebhook / _MutatingWebhook / _Rule / _ServiceReference). */
import { ensure, rec, recs, setDefault, type Obj } from '../validation/obj.js';

export function defaultWebhookConfiguration(obj: Obj, mutating: boolean): void {
  for (const hook of recs(obj['webhooks'])) {
    setDefault(hook, 'failurePolicy', 'Fail');
    setDefault(hook, 'matchPolicy', 'Equivalent');
    setDefault(hook, 'namespaceSelector', {});
    setDefault(hook, 'objectSelector', {});
    setDefault(hook, 'timeoutSeconds', 10);
    if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
    for (const rule of recs(hook['rules'])) setDefault(rule, 'scope', '*');
    const service = rec(ensure(hook, 'clientConfig')['service']);
    if (service) setDefault(service, 'port', 443);
  }
}
