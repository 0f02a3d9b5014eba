import { describe, expect, it } from 'vitest';
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { resolveEnv } from './env.js';
import { podServiceEnv } from './service-env.js';

const svc = (namespace: string, name: string, clusterIP: string, ports: ServicePort[]): Service =>
  ({ metadata: { namespace, name }, spec: { clusterIP, ports } });

const kubernetes = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
const web = svc('team', 'my-web', '10.96.0.42', [{ name: 'http', port: 80 }, { name: 'metrics-port', port: 9090, protocol: 'UDP' }]);
const headless = svc('team', 'headless', 'None', [{ port: 80 }]);
const other = svc('elsewhere', 'db', '10.96.0.50', [{ port: 5432 }]);
const all = [kubernetes, web, headless, other];

const pod = (namespace: string, enableServiceLinks?: boolean): Pod =>
  ({ metadata: { namespace, name: 'p' }, spec: { containers: [{ name: 'c' }], ...(enableServiceLinks === undefined ? {} : { enableServiceLinks }) } });

describe('podServiceEnv', () => {
  it('gives the kubernetes service the kubelet variables', () => {
    const env = Object.fromEntries(podServiceEnv(pod('elsewhere', false), all));
    expect(env).toEqual({
      KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443', KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    });
  });

  it('adds the link variables of every service of the namespace with a cluster IP', () => {
    const env = Object.fromEntries(podServiceEnv(pod('team'), all));
    expect(env).toMatchObject({
      MY_WEB_SERVICE_HOST: '10.96.0.42', MY_WEB_SERVICE_PORT: '80', MY_WEB_SERVICE_PORT_HTTP: '80', MY_WEB_SERVICE_PORT_METRICS_PORT: '9090',
      MY_WEB_PORT: 'tcp://10.96.0.42:80', MY_WEB_PORT_80_TCP: 'tcp://10.96.0.42:80', MY_WEB_PORT_80_TCP_ADDR: '10.96.0.42',
      MY_WEB_PORT_9090_UDP: 'udp://10.96.0.42:9090', MY_WEB_PORT_9090_UDP_PROTO: 'udp', MY_WEB_PORT_9090_UDP_PORT: '9090',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
    });
    expect(Object.keys(env).some((k) => k.startsWith('HEADLESS_') || k.startsWith('DB_'))).toBe(false);
  });

  it('leaves the namespace out when enableServiceLinks is false', () => {
    const env = podServiceEnv(pod('team', false), all);
    expect([...env.keys()].some((k) => k.startsWith('MY_WEB_'))).toBe(false);
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
  });
});

describe('resolveEnv with service variables', () => {
  const ctx = { podIP: '', hostIP: '', nodeAllocatable: { cpu: 1, memory: 1 } };
  it('lets the pod own variables win and expands $(VAR) from the service variables', () => {
    const p = pod('team');
    const c = { name: 'c', env: [{ name: 'MY_WEB_SERVICE_HOST', value: 'mine' }, { name: 'URL', value: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)/$(NOPE)' }] };
    const env = resolveEnv(p, c, { configMaps: {}, secrets: {} }, ctx, podServiceEnv(p, all));
    const m = new Map(env.map((e) => [e.key, e.value]));
    expect(m.get('MY_WEB_SERVICE_HOST')).toBe('mine');
    expect(m.get('URL')).toBe('https://10.96.0.1:443/$(NOPE)');
    expect(m.get('MY_WEB_PORT')).toBe('tcp://10.96.0.42:80');
    expect(env.filter((e) => e.key === 'MY_WEB_SERVICE_HOST')).toHaveLength(1);
    expect(env[0]!.key).toBe('MY_WEB_SERVICE_HOST'); // declared variables first
  });
});
