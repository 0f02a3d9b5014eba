import { describe, expect, it } from 'vitest';
import { validateIngress, validateIngressStatusUpdate } from './ingress.js';
import { validateIngressClass } from './ingressclass.js';
import { validatePodTemplate } from './podtemplate.js';
import { validateRuntimeClass } from './runtimeclass.js';

const msgs = (errs: Array<{ field: string; message: string }>): string[] => errs.map((e) => `${e.field}: ${e.message}`);
const metadata = { name: 'ing1', namespace: 'ns' };
const backend = { service: { name: 'defaultbackend', port: { number: 80 } } };

describe('validateIngress', () => {
  it('accepts the conformance Ingress and a rule with a prefix path', () => {
    expect(validateIngress({ metadata, spec: { defaultBackend: backend } })).toEqual([]);
    const rules = [{ host: '*.example.com', http: { paths: [{ path: '/a', pathType: 'Prefix', backend }] } }];
    expect(validateIngress({ metadata, spec: { rules, ingressClassName: 'nginx' } })).toEqual([]);
  });

  it('refuses an Ingress with neither rules nor a default backend, and bad backends and paths', () => {
    expect(msgs(validateIngress({ metadata, spec: {} }))).toEqual(['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
    const paths = [
      { path: 'a', pathType: 'Exact', backend: { service: { name: 'svc', port: { name: 'http', number: 80 } } } },
      { path: '/b', backend: {} },
    ];
    expect(msgs(validateIngress({ metadata, spec: { rules: [{ host: '1.2.3.4', http: { paths } }] } }))).toEqual([
      'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].path: Invalid value: "a": must be an absolute path',
      'spec.rules[0].http.paths[0].backend.service.port: Invalid value: "": cannot specify both port name and port number',
      'spec.rules[0].http.paths[1].pathType: Required value: must be specified',
      'spec.rules[0].http.paths[1].backend: Required value: one of `resource` or `service` must be specified',
    ]);
  });

  it('checks status addresses', () => {
    const old = { metadata: { ...metadata, resourceVersion: '1' }, spec: { defaultBackend: backend } };
    expect(validateIngressStatusUpdate({ ...old, status: { loadBalancer: { ingress: [{ ip: '169.1.1.1' }] } } }, old)).toEqual([]);
    expect(msgs(validateIngressStatusUpdate({ ...old, status: { loadBalancer: { ingress: [{ hostname: '1.2.3.4' }] } } }, old)))
      .toContain('status.loadBalancer.ingress[0].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address');
  });
});

describe('validateIngressClass', () => {
  it('wants a domain-prefixed controller, parameters with kind and name, and keeps the controller', () => {
    expect(validateIngressClass({ metadata: { name: 'ic' }, spec: { controller: 'example.com/controller' } })).toEqual([]);
    expect(msgs(validateIngressClass({ metadata: { name: 'ic' }, spec: { parameters: { kind: 'k', name: 'n', scope: 'Cluster', namespace: 'x' } } }))).toEqual([
      'spec.controller: Required value',
      'spec.parameters.namespace: Forbidden: `parameters.scope` is set to "Cluster"',
    ]);
    const old = { metadata: { name: 'ic', resourceVersion: '1' }, spec: { controller: 'example.com/a' } };
    expect(msgs(validateIngressClass({ ...old, spec: { controller: 'example.com/b' } }, old))).toEqual(['spec.controller: Invalid value: "example.com/b": field is immutable']);
  });
});

describe('validateRuntimeClass and validatePodTemplate', () => {
  it('wants a DNS-label handler that never changes', () => {
    expect(validateRuntimeClass({ metadata: { name: 'rc' }, handler: 'runc' })).toEqual([]);
    expect(msgs(validateRuntimeClass({ metadata: { name: 'rc' }, handler: 'Bad_Handler' }))[0]).toMatch(/^handler: Invalid value: "Bad_Handler": a lowercase RFC 1123 label/);
    const old = { metadata: { name: 'rc', resourceVersion: '1' }, handler: 'runc' };
    expect(msgs(validateRuntimeClass({ ...old, handler: 'other' }, old))).toEqual(['handler: Invalid value: "other": field is immutable']);
  });

  it('validates the template of a PodTemplate under `template`', () => {
    const template = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 } };
    expect(validatePodTemplate({ metadata: { name: 'pt', namespace: 'ns' }, template })).toEqual([]);
    expect(msgs(validatePodTemplate({ metadata: { name: 'pt', namespace: 'ns' }, template: { ...template, spec: { ...template.spec, containers: [] } } }))
      .some((m) => m.startsWith('template.spec.containers: Required value'))).toBe(true);
  });
});
