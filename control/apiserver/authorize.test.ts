import { describe, expect, it } from 'vitest';
import { authorize } from './authorize.js';
import { parseRequestInfo } from './http/request-info.js';

const bootstrap = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:tinykube:default-node-token', 'system:authenticated'] };
const admin = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
const jane = { name: 'jane', groups: ['system:authenticated'] };
const may = (user: typeof admin, method: string, url: string) => authorize(user, parseRequestInfo(method, url));

describe('authorize', () => {
  it('a bootstrap token may create and read CSRs and discovery, nothing else', () => {
    expect(may(bootstrap, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests')).toBeUndefined();
    expect(may(bootstrap, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-x?watch=1')).toBeUndefined();
    expect(may(bootstrap, 'GET', '/apis')).toBeUndefined();
    const denied = may(bootstrap, 'GET', '/api/v1/namespaces/default/pods');
    expect(denied?.status.code).toBe(403);
    expect(denied?.status.message).toBe('pods is forbidden: User "system:bootstrap:abcdef" cannot list resource "pods" in API group "" in the namespace "default"');
    expect(may(bootstrap, 'PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/x/approval')?.status.message)
      .toBe('certificatesigningrequests.certificates.k8s.io "x" is forbidden: User "system:bootstrap:abcdef" cannot update resource "certificatesigningrequests/approval" in API group "certificates.k8s.io" at the cluster scope');
    expect(may(bootstrap, 'DELETE', '/api/v1/nodes/n1')?.status.code).toBe(403);
  });

  it('a bootstrap token reads discovery, /version and health (system:discovery, public-info-viewer), not /metrics', () => {
    for (const path of ['/api', '/api/v1', '/apis/apps', '/apis/apps/v1', '/openapi/v3', '/openapi/v3/apis/apps/v1?hash=x', '/version', '/healthz', '/livez', '/readyz']) {
      expect(may(bootstrap, 'GET', path), path).toBeUndefined();
    }
    expect(may(bootstrap, 'GET', '/metrics')?.status.message).toBe('forbidden: User "system:bootstrap:abcdef" cannot get path "/metrics"');
    expect(may(bootstrap, 'POST', '/version')?.status.message).toBe('forbidden: User "system:bootstrap:abcdef" cannot post path "/version"');
    expect(may(bootstrap, 'GET', '/')?.status.code).toBe(403);
  });

  it('decides on the decoded path: an encoded letter is the letter, an encoded "/" is refused', () => {
    expect(may(bootstrap, 'GET', '/api/v1/namespaces/kube-system/%73ecrets')?.status.message)
      .toBe('secrets is forbidden: User "system:bootstrap:abcdef" cannot list resource "secrets" in API group "" in the namespace "kube-system"');
    expect(may(bootstrap, 'GET', '/api/v1/namespaces%2Fkube-system%2Fsecrets')?.status.message)
      .toBe('forbidden: User "system:bootstrap:abcdef" cannot get path "/api/v1/namespaces%2Fkube-system%2Fsecrets"');
    expect(may(bootstrap, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/../../../../api/v1/secrets')?.status.code).toBe(403);
  });

  it('admins and other users are not restricted (no RBAC yet), but only admins get past a path that does not parse', () => {
    expect(may(admin, 'DELETE', '/api/v1/nodes/n1')).toBeUndefined();
    expect(may(jane, 'GET', '/api/v1/secrets')).toBeUndefined();
    expect(may(admin, 'GET', '/api//v1/secrets')).toBeUndefined();
    expect(may(jane, 'GET', '/api//v1/secrets')?.status.message).toBe('forbidden: User "jane" cannot get path "/api//v1/secrets"');
  });
});
