import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { MemoryStore } from '../../store/memory/memory-store.js';
import { silentLogger } from '../../util/log.js';
import { allowAll } from '../auth.js';
import { parseRequestInfo } from '../http/request-info.js';
import { buildKubeAdmission } from '../registry/kube-admission.js';
import { buildApiServer } from '../server.js';
import type { ApiServer } from '../server.js';
import { createNodeProxy } from './node-proxy.js';
import { isProxyableIPv4, splitSchemeNamePort } from './proxy-target.js';

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** A "pod" on 127.0.0.1 that records what reached it and answers with what it saw. */
async function startPod(): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url?.startsWith('/page')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'access-control-allow-origin': '*' });
        res.end(`<a href="/rewriteme">x</a><img src='/a/b/?q=1'><a href="rel">r</a><a href="//other/x">o</a>`);
        return;
      }
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain', 'x-pod': 'yes', connection: 'keep-alive' });
      res.end(`${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function startApi(loopback: boolean): Promise<ApiServer> {
  const server = buildApiServer({
    store: new MemoryStore(), log: silentLogger(), admission: buildKubeAdmission({ serviceAccounts: false }), authenticator: allowAll,
    nodeProxy: (handler) => createNodeProxy({
      objects: handler.objects, clientCert: { cert: '', key: '' }, caCertPem: '', log: silentLogger(),
      ...(loopback ? { proxyableAddress: () => true } : {}),
    }),
  });
  await server.app.ready();
  return server;
}

const put = (s: ApiServer, resource: string, obj: KubeObject) => s.handler.objects.create(findResource('', 'v1', resource)!, obj);

describe('pods/proxy, services/proxy, nodes/proxy', () => {
  let pod: Awaited<ReturnType<typeof startPod>>;
  let api: ApiServer;
  let strict: ApiServer;
  beforeAll(async () => {
    pod = await startPod();
    api = await startApi(true);
    strict = await startApi(false);
    for (const s of [api, strict]) {
      await put(s, 'pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'ns' },
        spec: { containers: [{ name: 'c', image: 'i' }, { name: 'd', image: 'i', ports: [{ containerPort: pod.port }] }] },
        status: { phase: 'Running', podIP: '127.0.0.1' },
      } as KubeObject);
      await put(s, 'pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Pending' },
      } as KubeObject);
    }
    await put(api, 'services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'ns' }, spec: { ports: [{ name: 'http', port: 80 }] },
    } as KubeObject);
    await put(api, 'endpoints', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'svc', namespace: 'ns' },
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port: pod.port }] }],
    } as KubeObject);
    await put(api, 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty', namespace: 'ns' }, spec: { ports: [{ port: 80 }] } } as KubeObject);
    await put(api, 'endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'empty', namespace: 'ns' } } as KubeObject);
    await put(api, 'nodes', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
    } as KubeObject);
  });
  afterAll(async () => { await api.app.close(); await strict.app.close(); await pod.close(); });

  it('reads the proxy path as upstream RequestInfo does: name with port, subresource proxy, verb from the method', () => {
    const info = parseRequestInfo('POST', '/api/v1/namespaces/ns/pods/http:web:8080/proxy/a/b/?x=1');
    expect(info).toMatchObject({ kind: 'resource', resource: 'pods', name: 'http:web:8080', subresource: 'proxy', verb: 'create', parts: ['pods', 'http:web:8080', 'proxy', 'a', 'b'] });
    expect(splitSchemeNamePort('https:web:443')).toEqual({ scheme: 'https', name: 'web', port: '443' });
    expect(splitSchemeNamePort('ftp:web:21')).toBeUndefined();
    expect(splitSchemeNamePort('a:b:c:d')).toBeUndefined();
  });

  it('refuses loopback, link-local and unparsable targets by default', () => {
    for (const ip of ['127.0.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.5', '', '10.0.0.01']) expect(isProxyableIPv4(ip), ip).toBe(false);
    for (const ip of ['10.244.1.5', '192.168.0.2', '172.17.0.3']) expect(isProxyableIPv4(ip), ip).toBe(true);
  });

  it('proxies a pod GET to its first container port with path and query, without the client credentials', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/pods/web/proxy/hello/x%20y/?q=1&r=2', headers: { authorization: 'Bearer secret', 'x-extra': 'on' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('GET /hello/x%20y/?q=1&r=2');
    expect(res.headers['x-pod']).toBe('yes');
    const seen = pod.seen.at(-1)!;
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-extra']).toBe('on');
  });

  it('sends bodies and methods on, and passes the pod status through', async () => {
    const res = await api.app.inject({ method: 'POST', url: `/api/v1/namespaces/ns/pods/web:${pod.port}/proxy/echo`, payload: 'hi there', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(200);
    expect(pod.seen.at(-1)).toMatchObject({ method: 'POST', url: '/echo', body: 'hi there' });
    const missing = await api.app.inject({ method: 'DELETE', url: `/api/v1/namespaces/ns/pods/http:web:${pod.port}/proxy/missing` });
    expect(missing.statusCode).toBe(404);
    expect(pod.seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/missing' });
  });

  it('rewrites same-host absolute links of an HTML answer behind the proxy path, as upstream does', async () => {
    const res = await api.app.inject({ method: 'GET', url: `/api/v1/namespaces/ns/pods/web:${pod.port}/proxy/page/one` });
    const p = `/api/v1/namespaces/ns/pods/web:${pod.port}/proxy`;
    expect(res.body).toBe(`<a href="${p}/rewriteme">x</a><img src='${p}/a/b/?q=1'><a href="rel">r</a><a href="//other/x">o</a>`);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers HEAD with the pod\'s status and headers, no body', async () => {
    const res = await api.app.inject({ method: 'HEAD', url: '/api/v1/namespaces/ns/pods/web/proxy/missing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-pod']).toBe('yes');
    expect(res.body).toBe('');
    expect(pod.seen.at(-1)).toMatchObject({ method: 'HEAD', url: '/missing' });
  });

  it('redirects an empty proxied path to the path with a slash', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/pods/web/proxy?a=b' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/api/v1/namespaces/ns/pods/web/proxy/?a=b');
  });

  it('refuses a pod without IP, a loopback pod IP in production and an unreachable port', async () => {
    const pending = await api.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/pods/pending/proxy/' });
    expect(pending.statusCode).toBe(400);
    expect(pending.json()).toMatchObject({ message: 'address not allowed' });
    const loop = await strict.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/pods/web/proxy/' });
    expect(loop.statusCode).toBe(400);
    expect(pod.seen.some((s) => s.url === '/' && s.method === 'GET')).toBe(false);
    const closed = await api.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/pods/web:1/proxy/' });
    expect(closed.statusCode).toBe(503);
    expect(closed.json()).toMatchObject({ reason: 'ServiceUnavailable', message: expect.stringContaining('error trying to reach service') });
    const bad = await api.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/pods/ftp:web:1/proxy/' });
    expect(bad.statusCode).toBe(400);
  });

  it('proxies a service to a ready endpoint by port name or number', async () => {
    for (const id of ['svc:http', 'svc:80', 'http:svc:80']) {
      const res = await api.app.inject({ method: 'GET', url: `/api/v1/namespaces/ns/services/${id}/proxy/s?i=${id}` });
      expect(res.statusCode, id).toBe(200);
      expect(res.body).toBe(`GET /s?i=${id}`);
    }
    const noPort = await api.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/services/svc:81/proxy/' });
    expect(noPort.statusCode).toBe(503);
    expect(noPort.json()).toMatchObject({ message: 'no service port 81 found for service "svc"' });
  });

  it('answers 503 for a service without endpoints', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/namespaces/ns/services/empty/proxy/' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ message: 'no endpoints available for service "empty"' });
  });

  it('proxies a node on another port than the kubelet port to its stored address', async () => {
    const res = await api.app.inject({ method: 'GET', url: `/api/v1/nodes/n1:${pod.port}/proxy/logs/` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('GET /logs/');
    const ns = await api.app.inject({ method: 'GET', url: `/api/v1/namespaces/ns/nodes/n1:${pod.port}/proxy/logs/` });
    expect(ns.statusCode).toBe(404);
  });

  it('lists the proxy subresources in discovery', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1' });
    const names = (res.json() as { resources: Array<{ name: string; kind: string; verbs: string[] }> }).resources;
    for (const [name, kind] of [['pods/proxy', 'PodProxyOptions'], ['services/proxy', 'ServiceProxyOptions'], ['nodes/proxy', 'NodeProxyOptions']]) {
      expect(names.find((r) => r.name === name), name).toMatchObject({ kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] });
    }
  });
});
