import { describe, expect, it } from 'vitest';
import { authorize, requestAttributes } from './authorize.js';

const bootstrap = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:tinykube:default-node-token', 'system:authenticated'] };
const admin = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };

describe('authorize', () => {
  it('reads verbs and resources from the request like upstream', () => {
    expect(requestAttributes('GET', '/api/v1/namespaces/default/pods?watch=true&resourceVersion=5')).toEqual({ verb: 'watch', group: '', resource: 'pods', namespace: 'default' });
    expect(requestAttributes('GET', '/api/v1/namespaces/default/pods/web/log')).toEqual({ verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: 'default', name: 'web' });
    expect(requestAttributes('DELETE', '/apis/apps/v1/namespaces/ns/deployments')).toMatchObject({ verb: 'deletecollection', group: 'apps', resource: 'deployments' });
    expect(requestAttributes('GET', '/apis/apps/v1')).toBeUndefined();
    expect(requestAttributes('GET', '/version')).toBeUndefined();
  });

  it('names the object a list or watch selects by metadata.name, like upstream', () => {
    expect(requestAttributes('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Ds1&watch=1')).toMatchObject({ verb: 'watch', name: 's1' });
    expect(requestAttributes('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3D%3Ds1,type%3Dx')).toMatchObject({ verb: 'list', name: 's1' });
    expect(requestAttributes('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name!%3Ds1')?.name).toBeUndefined();
  });

  it('a bootstrap token may create and read CSRs and discovery, nothing else', () => {
    expect(authorize(bootstrap, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests')).toBeUndefined();
    expect(authorize(bootstrap, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-x?watch=1')).toBeUndefined();
    expect(authorize(bootstrap, 'GET', '/apis')).toBeUndefined();
    const denied = authorize(bootstrap, 'GET', '/api/v1/namespaces/default/pods');
    expect(denied?.status.code).toBe(403);
    expect(denied?.status.message).toBe('pods is forbidden: User "system:bootstrap:abcdef" cannot list resource "pods" in API group "" in the namespace "default"');
    expect(authorize(bootstrap, 'PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/x/approval')?.status.message)
      .toBe('certificatesigningrequests.certificates.k8s.io "x" is forbidden: User "system:bootstrap:abcdef" cannot update resource "certificatesigningrequests/approval" in API group "certificates.k8s.io" at the cluster scope');
    expect(authorize(bootstrap, 'DELETE', '/api/v1/nodes/n1')?.status.code).toBe(403);
  });

  it('admins and other users are not restricted (no RBAC yet)', () => {
    expect(authorize(admin, 'DELETE', '/api/v1/nodes/n1')).toBeUndefined();
    expect(authorize({ name: 'jane', groups: ['system:authenticated'] }, 'GET', '/api/v1/secrets')).toBeUndefined();
  });
});
