import { describe, expect, it } from 'vitest';
import { validate } from './validate.js';
import { applyDefaults } from '../defaults/apply-defaults.js';

const hook = (extra: Record<string, unknown> = {}) => ({
  name: 'deny.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'],
  clientConfig: { service: { namespace: 'ns', name: 'svc', path: '/validate' } },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/attach'] }],
  ...extra,
});
const config = (...webhooks: Record<string, unknown>[]) => ({ metadata: { name: 'c' }, webhooks });
const errs = (kind: string, obj: Record<string, unknown>) => validate(kind, obj).map((e) => `${e.field}: ${e.message}`);

describe('webhook configuration validation', () => {
  it('accepts a good configuration of either kind', () => {
    expect(errs('ValidatingWebhookConfiguration', config(hook()))).toEqual([]);
    expect(errs('MutatingWebhookConfiguration', config(hook({ reinvocationPolicy: 'IfNeeded' })))).toEqual([]);
  });

  it.each([
    [{ name: 'two.parts' }, 'webhooks[0].name: Invalid value: "two.parts": should be a domain with at least three segments separated by dots'],
    [{ sideEffects: undefined }, 'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun'],
    [{ sideEffects: 'Some' }, 'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"'],
    [{ admissionReviewVersions: [] }, 'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1'],
    [{ admissionReviewVersions: ['v2'] }, 'webhooks[0].admissionReviewVersions: Invalid value: "[v2]": must include at least one of v1, v1beta1'],
    [{ timeoutSeconds: 31 }, 'webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds'],
    [{ failurePolicy: 'Maybe' }, 'webhooks[0].failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"'],
    [{ matchPolicy: 'Loose' }, 'webhooks[0].matchPolicy: Unsupported value: "Loose": supported values: "Equivalent", "Exact"'],
    [{ clientConfig: {} }, 'webhooks[0].clientConfig: Required value: exactly one of url or service is required'],
    [{ clientConfig: { url: 'https://a.example.com/x', service: { namespace: 'n', name: 's' } } }, 'webhooks[0].clientConfig: Required value: exactly one of url or service is required'],
    [{ clientConfig: { url: 'http://a.example.com/x' } }, `webhooks[0].clientConfig.url: Invalid value: "http://a.example.com/x": 'https' is the only allowed URL scheme`],
    [{ clientConfig: { url: 'https://u:p@a.example.com/x' } }, 'webhooks[0].clientConfig.url: Invalid value: "https://u:p@a.example.com/x": user information is not permitted in the URL'],
    [{ clientConfig: { url: 'https://a.example.com/x?q=1' } }, 'webhooks[0].clientConfig.url: Invalid value: "https://a.example.com/x?q=1": query parameters are not permitted in the URL'],
    [{ clientConfig: { url: 'https://a.example.com/x#f' } }, 'webhooks[0].clientConfig.url: Invalid value: "https://a.example.com/x#f": fragments are not permitted in the URL'],
    [{ clientConfig: { service: { namespace: 'ns', name: '' } } }, 'webhooks[0].clientConfig.service.name: Required value: service name is required'],
    [{ clientConfig: { service: { namespace: 'ns', name: 's', port: 0 } } }, 'webhooks[0].clientConfig.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive'],
    [{ clientConfig: { service: { namespace: 'ns', name: 's', path: 'x' } } }, `webhooks[0].clientConfig.service.path: Invalid value: "x": must start with a '/'`],
    [{ rules: [{ operations: [], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }, 'webhooks[0].rules[0].operations: Required value'],
    [{ rules: [{ operations: ['PATCH'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }, 'webhooks[0].rules[0].operations[0]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"'],
    [{ rules: [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Everywhere' }] }, 'webhooks[0].rules[0].scope: Unsupported value: "Everywhere": supported values: "*", "Cluster", "Namespaced"'],
    [{ rules: [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['*', 'pods'] }] }, `webhooks[0].rules[0].resources: Invalid value: "[* pods]": if '*' is present, must not specify other resources`],
    [{ namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } }, 'webhooks[0].namespaceSelector.matchExpressions[0].operator'],
  ])('refuses %j', (extra, want) => {
    expect(errs('ValidatingWebhookConfiguration', config(hook(extra))).some((e) => e.startsWith(want))).toBe(true);
  });

  it('refuses duplicate webhook names and a bad reinvocationPolicy', () => {
    expect(errs('ValidatingWebhookConfiguration', config(hook(), hook()))).toContain('webhooks[1].name: Duplicate value: "deny.example.com"');
    expect(errs('MutatingWebhookConfiguration', config(hook({ reinvocationPolicy: 'Always' })))).toContain('webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"');
  });

  it('defaults as upstream v1 does', () => {
    const obj = config(hook()) as Record<string, unknown>;
    applyDefaults('MutatingWebhookConfiguration', obj);
    expect((obj['webhooks'] as unknown[])[0]).toMatchObject({
      failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, timeoutSeconds: 10, reinvocationPolicy: 'Never',
      rules: [{ scope: '*' }], clientConfig: { service: { port: 443 } },
    });
  });
});
