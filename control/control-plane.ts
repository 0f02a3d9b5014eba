/**
 * The control plane process: store, PKI and credentials, the API server, the bootstrap objects,
 * the API server's internal loops (garbage collector, namespace) and the controller manager with
 * the scheduler. Built by a factory, started separately.
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { findResource } from './api/resources.js';
import { defaultHostAddress } from './util/host-address.js';
import { TokenAndCertAuthenticator, UnionAuthenticator } from './apiserver/auth.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token/token-authenticator.js';
import { followBootstrapTokens } from './bootstrap-token/follow-tokens.js';
import { BootstrapTokenCache } from './bootstrap-token/token-cache.js';
import { kubeAdmission } from './apiserver/registry/kube-admission.js';
import { buildStrategies } from './apiserver/registry/kinds/index.js';
import { ServiceStrategy } from './apiserver/registry/kinds/services.js';
import { reviewHandlers } from './apiserver/reviews/review-handlers.js';
import { buildApiServer } from './apiserver/server.js';
import { ObjectStore } from './apiserver/registry/object-store.js';
import { serviceAccountTokens } from './apiserver/serviceaccount/handlers.js';
import { serviceAccountKeyFromPem } from './pki/service-account-key.js';
import type { ApiServer } from './apiserver/server.js';
import type { WatchLimits } from './apiserver/http/watch-limiter.js';
import { lazyProtobufDecoder } from './apiserver/protobuf/lazy-decoder.js';
import { bootstrapCluster } from './apiserver/internal/bootstrap-cluster.js';
import { reconcileBootstrapPolicy } from './apiserver/internal/bootstrap-policy/reconcile.js';
import { PolicyIndex } from './apiserver/authz/rbac/policy-index.js';
import { rbacStrategies } from './apiserver/registry/kinds/rbac.js';
import { GarbageCollector } from './apiserver/internal/garbage-collector.js';
import { NamespaceController } from './apiserver/internal/namespace-controller.js';
import { IpAllocator } from './apiserver/registry/service/ip-allocator.js';
import { PortAllocator } from './apiserver/registry/service/port-allocator.js';
import { CONTROLLERS } from './controllers/all.js';
import { DEFAULT_CONTROLLER_OPTIONS } from './controller-manager/controller-options.js';
import type { ControllerOptions } from './controller-manager/controller-options.js';
import { startControllerManager } from './controller-manager/controller-manager.js';
import { SCHEDULER } from './scheduler/scheduler.js';
import { RestClient } from './client/rest-client.js';
import { InjectTransport } from './client/transport.js';
import type { Injectable } from './client/transport.js';
import { systemClock } from './util/clock.js';
import { ensurePki } from './pki/ensure-pki.js';
import { issueClientCert } from './pki/issue-cert.js';
import { createNodeProxy } from './apiserver/proxy/node-proxy.js';
import { ADMIN_USER, renderKubeconfig, userContextName } from './pki/kubeconfig.js';
import { generateToken } from './pki/tokens.js';
import { writeFileAtomic } from './pki/write-file-atomic.js';
import { ApiLeaseLock } from './leaderelection/lease-lock.js';
import { LeaderElector } from './leaderelection/lease.js';
import { createStore } from './store/registry.js';
import type { EtcdTlsFiles } from './store/registry.js';
import type { Store } from './store/types.js';

export interface ControlPlaneOptions {
  dataDir: string;
  listen: string;              // host:port
  storeUrl?: string;           // default sqlite://<dataDir>/state.db
  /** etcd:// over TLS with these files (--etcd-cafile, --etcd-certfile, --etcd-keyfile). */
  etcdTls?: EtcdTlsFiles;
  serviceCidr: string;
  clusterCidr: string;
  nodePortRange: string;
  advertiseAddress?: string;
  /** Controller timings (node monitor grace period, …); defaults are upstream's. */
  controllerOptions?: Partial<ControllerOptions>;
  /** Run the controllers only while leading the Lease; default on, honoured only when the store supports it (etcd). */
  leaderElect?: boolean;
  /** Caps on open watches per user and in total (--max-watches-per-user, --max-watches). */
  watchLimits?: Partial<WatchLimits>;
  log: Logger;
}

export interface RunningControlPlane { url: string; kubeconfigPath: string; stop(): Promise<void> }

export const defaultAdvertiseAddress = defaultHostAddress;

async function adminToken(dataDir: string): Promise<string> {
  const path = join(dataDir, 'admin.token');
  if (existsSync(path)) return (await readFile(path, 'utf8')).trim();
  const token = generateToken();
  await writeFileAtomic(path, token + '\n', 0o600);
  return token;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<RunningControlPlane> {
  const log = o.log;
  await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  await chmod(o.dataDir, 0o700); // keys, kubeconfigs, tokens and the database: root only
  const [host = '0.0.0.0', portText = '6443'] = splitHostPort(o.listen);
  const port = Number(portText);
  const advertise = o.advertiseAddress ?? defaultAdvertiseAddress();
  const ips = new IpAllocator(o.serviceCidr);
  const kubernetesIP = ips.nth(1);

  const pki = await ensurePki({ dir: join(o.dataDir, 'pki'), hosts: [advertise, hostname(), ...(host !== '0.0.0.0' ? [host] : [])], serviceIP: kubernetesIP });
  const token = await adminToken(o.dataDir);
  // The API server's identity towards the node agents' :10250 (logs/exec/attach/port-forward); in memory only.
  const kubeletClient = await issueClientCert(pki, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] });
  // the loopback token: what the in-process controller manager and scheduler authenticate with
  const loopback = generateToken();
  const tokenAndCert = new TokenAndCertAuthenticator({ tokens: new Map([
    [token, { name: ADMIN_USER, groups: ['system:masters', 'system:authenticated'] }], // kubeadm's admin identity
    [loopback, { name: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] }],
  ]) });
  // bootstrap tokens (kube-system/bootstrap-token-<id>), followed once the server listens
  const bootstrapTokens = new BootstrapTokenCache();

  const store: Store = await createStore(o.storeUrl ?? `sqlite://${join(o.dataDir, 'state.db')}`, { log, ...(o.etcdTls ? { etcdTls: o.etcdTls } : {}) });
  // ServiceAccount tokens: signed with the PKI's sa.key, checked against the store
  const saTokens = serviceAccountTokens({ key: serviceAccountKeyFromPem(pki.serviceAccountKeyPem), objects: new ObjectStore(store), clock: systemClock });
  const authenticator = new UnionAuthenticator([tokenAndCert, new BootstrapTokenAuthenticator({ secrets: bootstrapTokens }), saTokens.authenticator]);
  const services = new ServiceStrategy(ips, PortAllocator.parse(o.nodePortRange));
  // the RBAC objects in memory: the authorizer and the RBAC kinds' escalation checks read them
  const policy = new PolicyIndex();
  const server: ApiServer = buildApiServer({
    store, log: log.child({ component: 'apiserver' }), admission: kubeAdmission, watchLimits: o.watchLimits,
    https: { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: pki.caCertPem },
    authenticator,
    strategies: { ...buildStrategies({ services }), ...rbacStrategies(policy) }, policy,
    protobuf: lazyProtobufDecoder(),
    serverAddress: () => `${advertise}:${port}`,
    // the POST-only kinds and subresources: every part's handlers, merged
    createOnly: (ctx) => ({ ...reviewHandlers(ctx), ...saTokens.handlers(ctx.authenticator) }),
    nodeProxy: (handler) => createNodeProxy({
      objects: handler.objects, clientCert: { cert: kubeletClient.certPem, key: kubeletClient.keyPem }, caCertPem: pki.caCertPem, log,
    }),
  });
  saTokens.registerRoutes(server.app, () => `https://${advertise}:${port}`);
  const svcList = await server.handler.objects.list(findResource('', 'v1', 'services')!, undefined);
  services.restore(svcList.items);
  await bootstrapCluster({ handler: server.handler, log, kubernetesServiceIP: kubernetesIP, dnsServiceIP: ips.nth(10), advertiseAddress: advertise, port });
  await reconcileBootstrapPolicy({ handler: server.handler, log: log.child({ component: 'rbac' }) });

  const ac = new AbortController();
  // the in-process controllers, fresh each time they start (again after a regained leadership)
  const startInProcess = (signal: AbortSignal): Promise<void>[] => [
    new GarbageCollector({ handler: server.handler, log: log.child({ component: 'controller', controller: 'garbagecollector' }) }),
    new NamespaceController({
      handler: server.handler, log: log.child({ component: 'controller', controller: 'namespace' }),
      extraResources: () => server.extensions.storageResources(),
    }),
  ].map((c) => c.run(signal).catch((err: unknown) => log.error({ err }, 'Controller stopped')));
  const leaderElect = store.capabilities.leaderElection && (o.leaderElect ?? true);
  const running = leaderElect ? [] : startInProcess(ac.signal);

  // the admin kubeconfig exists before the server answers (whoever waits for /readyz may use it)
  const url = `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const kubeconfigPath = join(o.dataDir, 'admin.kubeconfig');
  await writeFileAtomic(kubeconfigPath, renderKubeconfig({ server: url, caCertPem: pki.caCertPem, user: ADMIN_USER, contextName: userContextName(ADMIN_USER), token }), 0o600);
  await server.app.listen({ host, port });
  const loopbackTransport = new InjectTransport(server.app as unknown as Injectable, { authorization: `Bearer ${loopback}` });
  running.push(followBootstrapTokens({ transport: loopbackTransport, cache: bootstrapTokens, log: log.child({ component: 'bootstrap-tokens' }), signal: ac.signal }));
  const startManager = () => startControllerManager({
    transport: loopbackTransport,
    log, clock: systemClock, controllers: [SCHEDULER, ...CONTROLLERS], // the scheduler runs in the controller manager's process, first
    options: {
      ...DEFAULT_CONTROLLER_OPTIONS, clusterCidr: o.clusterCidr,
      ca: { certPem: pki.caCertPem, keyPem: pki.caKeyPem }, advertisedServer: `https://${advertise}:${port}`,
      serviceAccountKeyPem: pki.serviceAccountKeyPem,
      ...(o.controllerOptions ?? {}),
    },
  });
  let manager: { stop(): Promise<void> } | undefined;
  let electing: Promise<void> | undefined;
  if (leaderElect) {
    // Several servers share one etcd: only the Lease holder runs controllers and scheduler. Losing the
    // lease stops them and this server campaigns again (it keeps serving the API meanwhile).
    const elector = new LeaderElector({
      lock: new ApiLeaseLock(new RestClient(loopbackTransport, { fieldManager: 'kube-controller-manager' }), 'kube-system', 'tinykube-controller-manager'),
      identity: `${hostname()}_${randomUUID()}`, clock: systemClock, log: log.child({ component: 'leaderelection' }),
      callbacks: {
        onStartedLeading: async (signal) => {
          const inProcess = startInProcess(signal);
          const leaderManager = startManager();
          await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
          await leaderManager.stop();
          await Promise.all(inProcess);
        },
        onStoppedLeading: () => log.info('Controllers stopped; campaigning for the lease again unless stopping'),
      },
    });
    electing = elector.run(ac.signal);
  } else {
    manager = startManager();
  }
  log.info({ url, store: o.storeUrl ?? 'sqlite', kubeconfig: kubeconfigPath, leaderElect }, 'Control plane started');
  return {
    url, kubeconfigPath,
    async stop() {
      ac.abort();
      await manager?.stop();
      await electing; // stops the controllers, then releases the lease through the still-open server
      await server.app.close();
      await Promise.all(running);
      await store.close();
    },
  };
}

export function splitHostPort(s: string): [string, string] {
  const i = s.lastIndexOf(':');
  if (i < 0) return [s, '6443'];
  return [s.slice(0, i).replace(/^\[|\]$/g, ''), s.slice(i + 1)];
}
