import { describe, expect, it } from 'vitest';
import { parseQuery, parseRequestInfo } from './request-info.js';

const info = (method: string, url: string) => {
  const i = parseRequestInfo(method, url);
  if (i.kind !== 'resource') return i;
  const { query: _q, parts: _p, path: _path, apiPrefix: _a, version: _v, namespacePrefix: _n, ...rest } = i;
  return rest;
};

describe('parseRequestInfo', () => {
  it('reads verbs and resources from the request like upstream', () => {
    expect(info('GET', '/api/v1/namespaces/default/pods?watch=true&resourceVersion=5')).toEqual({ kind: 'resource', verb: 'watch', group: '', resource: 'pods', namespace: 'default' });
    expect(info('GET', '/api/v1/namespaces/default/pods/web/log')).toEqual({ kind: 'resource', verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: 'default', name: 'web' });
    expect(info('DELETE', '/apis/apps/v1/namespaces/ns/deployments')).toMatchObject({ verb: 'deletecollection', group: 'apps', resource: 'deployments' });
    expect(info('GET', '/api/v1/namespaces/ns')).toMatchObject({ verb: 'get', resource: 'namespaces', name: 'ns', namespace: 'ns' });
    expect(parseRequestInfo('GET', '/api/v1/namespaces/ns/status')).toMatchObject({ resource: 'namespaces', name: 'ns', subresource: 'status', namespacePrefix: false });
    expect(parseRequestInfo('GET', '/api/v1/namespaces/ns/pods')).toMatchObject({ resource: 'pods', namespacePrefix: true, parts: ['pods'] });
    expect(info('OPTIONS', '/api/v1/pods')).toMatchObject({ verb: '' });
  });

  it('treats watch as upstream does: every value but false or 0 is a watch', () => {
    expect(info('GET', '/api/v1/pods?watch')).toMatchObject({ verb: 'watch' });
    expect(info('GET', '/api/v1/pods?watch=yes')).toMatchObject({ verb: 'watch' });
    expect(info('GET', '/api/v1/pods?watch=FALSE')).toMatchObject({ verb: 'list' });
    expect(info('GET', '/api/v1/pods?watch=0&watch=1')).toMatchObject({ verb: 'list' });
    expect(info('GET', '/api/v1/pods/p?watch=1')).toMatchObject({ verb: 'get' });
    // the official Python client sends Python's spelling of booleans
    expect(info('GET', '/api/v1/pods?watch=True')).toMatchObject({ verb: 'watch' });
    expect(info('GET', '/api/v1/pods?watch=False')).toMatchObject({ verb: 'list' });
  });

  it('names the object a list or watch selects by metadata.name, like upstream', () => {
    expect(info('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Ds1&watch=1')).toMatchObject({ verb: 'watch', name: 's1' });
    expect(info('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3D%3Ds1,type%3Dx')).toMatchObject({ verb: 'list', name: 's1' });
    expect(info('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name!%3Ds1')).not.toHaveProperty('name');
    expect(info('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3D..')).not.toHaveProperty('name');
    expect(info('GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Da%5C')).not.toHaveProperty('name'); // does not parse
  });

  it('non-resource paths: discovery, /version, anything outside /api and /apis', () => {
    expect(parseRequestInfo('GET', '/apis/apps/v1')).toEqual({ kind: 'nonResource', verb: 'get', path: '/apis/apps/v1', query: {} });
    expect(parseRequestInfo('GET', '/api/v1/')).toMatchObject({ kind: 'nonResource', path: '/api/v1/' });
    expect(parseRequestInfo('HEAD', '/%76ersion')).toMatchObject({ kind: 'nonResource', verb: 'head', path: '/version' });
    expect(parseRequestInfo('GET', '/API/v1/namespaces/kube-system/secrets')).toMatchObject({ kind: 'nonResource', path: '/API/v1/namespaces/kube-system/secrets' });
  });

  it('decodes each segment after splitting: encoded letters are letters, one trailing slash is no segment', () => {
    expect(info('GET', '/api/v1/namespaces/kube-system/%73ecrets/')).toMatchObject({ verb: 'list', resource: 'secrets', namespace: 'kube-system' });
    expect(info('GET', '/api/v1/namespaces/kube-system/secrets;x')).toMatchObject({ resource: 'secrets;x' });
    expect(info('GET', '/api/v1/namespaces/kube-system/secrets/%252e%252e')).toMatchObject({ verb: 'get', name: '%2e%2e' });
  });

  it.each([
    ['/api/v1/namespaces%2Fkube-system%2Fsecrets', 'an encoded "/" in a path segment'],
    ['/api/v1/namespaces/kube-system%2fsecrets', 'an encoded "/" in a path segment'],
    ['/api/v1/namespaces/default/../kube-system/secrets', 'a dot segment'],
    ['/api/v1/namespaces/default/%2e%2E/kube-system/secrets', 'a dot segment'],
    ['/api/v1/./namespaces/kube-system/secrets', 'a dot segment'],
    ['/api//v1/namespaces/kube-system/secrets', 'an empty path segment'],
    ['/api/v1/namespaces/kube-system/secrets//', 'an empty path segment'],
    ['//api/v1/secrets', 'an empty path segment'],
    ['/api/v1/namespaces/kube-system/secrets/%zz', 'a malformed %-escape'],
    ['/api/v1/secrets#x', 'a fragment in the path'],
    ['https://127.0.0.1:6443/api/v1/secrets', 'not an absolute path'],
    ['*', 'not an absolute path'],
  ])('refuses to read %s: %s', (url, reason) => {
    expect(parseRequestInfo('GET', url)).toMatchObject({ kind: 'unparsable', reason, verb: 'get', path: url.split('?')[0] });
  });

  it('parses the query once: repeated keys keep every value, no prototype keys', () => {
    expect(parseQuery('a=1&a=2&b&c=x+y')).toEqual({ a: ['1', '2'], b: '', c: 'x y' });
    expect(Object.getPrototypeOf(parseQuery('__proto__=x'))).toBeNull();
  });
});
