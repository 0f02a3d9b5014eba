/**
 * An API server over HTTPS with the node proxy, and a node API on loopback over a FakeRuntime
 * (pod p runs container app; port-forward reaches a local echo server): enough for the real
 * kubectl to run logs/exec/attach/port-forward end to end without Docker.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startNodeApi } from '../../agent/node-api/node-api.js';
import type { NodeApi } from '../../agent/node-api/node-api.js';
import { fakePodLookup, runFakePod } from '../../agent/node-api/testing/fake-pods.js';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { TokenAndCertAuthenticator } from '../../control/apiserver/auth.js';
import { decodeProtobufObject } from '../../control/apiserver/protobuf/decode.js';
import { createNodeProxy } from '../../control/apiserver/proxy/node-proxy.js';
import { buildStrategies } from '../../control/apiserver/registry/kinds/index.js';
import { ServiceStrategy } from '../../control/apiserver/registry/kinds/services.js';
import { kubeAdmission } from '../../control/apiserver/registry/kube-admission.js';
import { buildApiServer } from '../../control/apiserver/server.js';
import type { ApiServer } from '../../control/apiserver/server.js';
import { bootstrapCluster } from '../../control/apiserver/internal/bootstrap-cluster.js';
import { IpAllocator } from '../../control/apiserver/registry/service/ip-allocator.js';
import { PortAllocator } from '../../control/apiserver/registry/service/port-allocator.js';
import { createCa } from '../../control/pki/create-ca.js';
import { issueClientCert, issueServingCert } from '../../control/pki/issue-cert.js';
import { renderKubeconfig } from '../../control/pki/kubeconfig.js';
import { MemoryStore } from '../../control/store/memory/memory-store.js';
import { silentLogger } from '../../control/util/log.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';

export interface KubectlRun { code: number | null; stdout: string; stderr: string }

export interface StreamingCluster {
  runtime: FakeRuntime;
  server: ApiServer;
  nodeApi: NodeApi;
  /** The API server's URL, the admin's bearer token and the CA, for clients other than kubectl. */
  api: { url: string; token: string; caCertPem: string };
  kubectl(args: string[], o?: { input?: string; env?: Record<string, string> }): Promise<KubectlRun>;
  spawnKubectl(args: string[]): ChildProcess;
  close(): Promise<void>;
}

const NOW = '2024-05-01T10:00:00.123456789Z';
const LOGS = [
  { time: NOW, line: 'line one' },
  { time: '2024-05-01T10:00:01.000000001Z', line: 'line two' },
];

function pod(name: string, o: { nodeName?: string; phase: string; containers?: string[] }): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2024-05-01T10:00:00Z' },
    spec: { ...(o.nodeName ? { nodeName: o.nodeName } : {}), containers: (o.containers ?? ['app']).map((c) => ({ name: c, image: 'busybox' })) },
    status: { phase: o.phase },
  };
}

export async function startStreamingCluster(log: Logger = silentLogger()): Promise<StreamingCluster> {
  const ca = await createCa();
  const caPair = { caCertPem: ca.certPem, caKeyPem: ca.keyPem };
  const [nodeCert, apiCert, kubeletClient] = await Promise.all([
    issueServingCert(caPair, { commonName: 'node-1', hosts: ['127.0.0.1'] }),
    issueServingCert(caPair, { commonName: 'kube-apiserver', hosts: ['127.0.0.1'] }),
    issueClientCert(caPair, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] }),
  ]);

  const echoSockets = new Set<Socket>();
  const echo: Server = createServer((s) => { echoSockets.add(s); s.once('close', () => echoSockets.delete(s)); s.pipe(s); });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const runtime = new FakeRuntime({ images: ['busybox'], portForwardTo: { host: '127.0.0.1', port: (echo.address() as AddressInfo).port } });
  const p = await runFakePod(runtime, { namespace: 'default', name: 'p', image: 'busybox', containers: ['app'] });
  for (const l of LOGS) runtime.log(p.containers.get('app') ?? '', l.line, { time: l.time });
  const nodeApi = await startNodeApi({
    host: '127.0.0.1', port: 0, tls: { cert: nodeCert.certPem, key: nodeCert.keyPem, ca: ca.certPem }, runtime, pods: fakePodLookup(runtime), log,
  });

  const store = new MemoryStore();
  const token = 'node-api-test-token';
  const services = new ServiceStrategy(new IpAllocator('10.96.0.0/12'), PortAllocator.parse('30000-32767'));
  const server = buildApiServer({
    store, log, admission: kubeAdmission,
    https: { key: apiCert.keyPem, cert: apiCert.certPem, ca: ca.certPem },
    authenticator: new TokenAndCertAuthenticator({ tokens: new Map([[token, { name: 'admin', groups: ['system:masters', 'system:authenticated'] }]]) }),
    strategies: buildStrategies({ services }),
    protobuf: (body) => decodeProtobufObject(body).object as KubeObject,
    nodeProxy: (handler) => createNodeProxy({
      objects: handler.objects, clientCert: { cert: kubeletClient.certPem, key: kubeletClient.keyPem }, caCertPem: ca.certPem, log,
    }),
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.app.server.address() as AddressInfo).port;
  await bootstrapCluster({ handler: server.handler, log, kubernetesServiceIP: services.ips.nth(1), dnsServiceIP: '10.96.0.10', advertiseAddress: '127.0.0.1', port });

  const objects = server.handler.objects;
  await objects.create(findResource('', 'v1', 'nodes')!, {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'uid-node-1', creationTimestamp: '2024-05-01T10:00:00Z' },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }], daemonEndpoints: { kubeletEndpoint: { Port: nodeApi.port } } },
  });
  const pods = findResource('', 'v1', 'pods')!;
  await objects.create(pods, pod('p', { nodeName: 'node-1', phase: 'Running' }));
  await objects.create(pods, pod('done', { nodeName: 'node-1', phase: 'Succeeded' }));
  await objects.create(pods, pod('pending', { phase: 'Pending' }));
  await objects.create(pods, pod('missing', { nodeName: 'node-1', phase: 'Running' }));

  const dir = mkdtempSync(join(tmpdir(), 'tk-node-api-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig({ server: `https://127.0.0.1:${port}`, caCertPem: ca.certPem, user: 'admin', token }));
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
  const children = new Set<ChildProcess>();

  return {
    runtime, server, nodeApi,
    api: { url: `https://127.0.0.1:${port}`, token, caCertPem: ca.certPem },
    kubectl(args, o = {}) {
      return new Promise((resolve) => {
        const child = execFile('kubectl', [...base, ...args], { timeout: 20_000, env: { ...process.env, ...o.env } }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
          resolve({ code, stdout, stderr });
        });
        if (o.input !== undefined) child.stdin?.end(o.input);
        else child.stdin?.end();
      });
    },
    spawnKubectl(args) {
      const child = spawn('kubectl', [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async close() {
      for (const c of children) c.kill('SIGKILL');
      await server.app.close();
      await nodeApi.close();
      for (const s of echoSockets) s.destroy();
      await new Promise<void>((resolve) => echo.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
