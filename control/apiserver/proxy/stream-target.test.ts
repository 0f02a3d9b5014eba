import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { notFound } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import { resolveStreamTarget } from './stream-target.js';
import type { ObjectGetter } from './stream-target.js';
import { renderUpgradeRequest } from './upgrade-proxy.js';
import type { IncomingMessage } from 'node:http';

const node = (port?: number): KubeObject => ({
  metadata: { name: 'n1' },
  status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.0.0.5' }], ...(port ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) },
});
const pod = (name: string, o: { nodeName?: string; phase?: string; containers?: string[]; waiting?: string } = {}): KubeObject => ({
  metadata: { name, namespace: 'ns' },
  spec: { ...(o.nodeName ? { nodeName: o.nodeName } : {}), containers: (o.containers ?? ['app']).map((n) => ({ name: n, image: 'x' })) },
  status: { phase: o.phase ?? 'Running', ...(o.waiting ? { containerStatuses: [{ name: 'app', state: { waiting: { reason: o.waiting } } }] } : {}) },
});

function getter(objs: KubeObject[], nodePort?: number): ObjectGetter {
  return {
    async get(ri, _ns, name) {
      if (ri.resource === 'nodes') { if (name === 'n1') return node(nodePort); throw notFound(ri, name); }
      const o = objs.find((x) => x.metadata?.name === name);
      if (!o) throw notFound(ri, name);
      return o;
    },
  };
}

const q = (s: string) => new URLSearchParams(s);
const failure = async (p: Promise<unknown>): Promise<{ code: number; message?: string }> => {
  const err = await p.then(() => undefined, (e: unknown) => e as ApiError);
  if (!err) throw new Error('expected a failure');
  return { code: err.code, message: err.status.message };
};

describe('resolveStreamTarget', () => {
  const objects = getter([
    pod('p', { nodeName: 'n1' }), pod('two', { nodeName: 'n1', containers: ['a', 'b'] }), pod('pending'),
    pod('done', { nodeName: 'n1', phase: 'Succeeded' }), pod('w', { nodeName: 'n1', waiting: 'ContainerCreating' }),
  ]);

  it('maps exec onto the kubelet path, flags in the kubelet spelling, InternalIP and default port', async () => {
    expect(await resolveStreamTarget(objects, 'exec', 'ns', 'p', q('command=echo&command=hi&container=app&stdout=true&stderr=true'))).toEqual({
      host: '10.0.0.5', port: 10250, path: '/exec/ns/p/app?command=echo&command=hi&output=1&error=1',
    });
  });

  it('reads the exec and log booleans as upstream\'s parameter codec does (the Python client sends True/False)', async () => {
    expect((await resolveStreamTarget(objects, 'exec', 'ns', 'p', q('command=ls&stdin=True&stdout=True&stderr=False&tty=FALSE'))).path)
      .toBe('/exec/ns/p/app?command=ls&input=1&output=1');
    const waiting = getter([pod('w', { nodeName: 'n1', waiting: 'ContainerCreating' })]);
    expect(await failure(resolveStreamTarget(waiting, 'log', 'ns', 'w', q('previous=True')))).toEqual({ code: 400, message: expect.stringContaining('previous terminated container') });
  });

  it('uses kubeletEndpoint.Port, passes log options and defaults the only container', async () => {
    expect(await resolveStreamTarget(getter([pod('p', { nodeName: 'n1' })], 12345), 'log', 'ns', 'p', q('follow=true&tailLines=5&foo=1'))).toEqual({
      host: '10.0.0.5', port: 12345, path: '/containerLogs/ns/p/app?follow=true&tailLines=5',
    });
    expect((await resolveStreamTarget(objects, 'portforward', 'ns', 'p', q(''))).path).toBe('/portForward/ns/p');
  });

  it.each([
    ['a pod without a node', 'log', 'pending', '', 400, 'pod pending does not have a host assigned'],
    ['an unknown container', 'exec', 'p', 'container=nope', 400, 'container nope is not valid for pod p'],
    ['no container with several', 'log', 'two', '', 400, 'a container name must be specified for pod two, choose one of: [a b]'],
    ['a completed pod', 'exec', 'done', '', 400, 'cannot exec into a container in a completed pod; current phase is Succeeded'],
    ['attach to a completed pod', 'attach', 'done', '', 400, 'cannot attach to a container in a completed pod; current phase is Succeeded'],
    ['logs of a waiting container', 'log', 'w', '', 400, 'container "app" in pod "w" is waiting to start: ContainerCreating'],
    ['a missing pod', 'exec', 'nope', '', 404, 'pods "nope" not found'],
  ] as const)('refuses %s', async (_n, sub, name, query, code, message) => {
    expect(await failure(resolveStreamTarget(objects, sub, 'ns', name, q(query)))).toEqual({ code, message });
  });
});

describe('renderUpgradeRequest', () => {
  it('rewrites the path and Host, keeps the upgrade headers, drops Authorization', () => {
    const req = { method: 'POST', rawHeaders: ['Host', 'api:6443', 'Authorization', 'Bearer x', 'Connection', 'Upgrade', 'Upgrade', 'SPDY/3.1', 'X-Stream-Protocol-Version', 'v4.channel.k8s.io', 'X-Stream-Protocol-Version', 'v3.channel.k8s.io'] } as unknown as IncomingMessage;
    expect(renderUpgradeRequest(req, { host: '10.0.0.5', port: 10250, path: '/exec/ns/p/app?output=1' })).toBe(
      'POST /exec/ns/p/app?output=1 HTTP/1.1\r\nHost: 10.0.0.5:10250\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n'
      + 'X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: v3.channel.k8s.io\r\n\r\n',
    );
  });
});
