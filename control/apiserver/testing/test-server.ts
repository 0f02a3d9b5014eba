/**
 * A full API server for unit tests: the control plane's wiring (strategies, kubeAdmission, the
 * protobuf decoder, bootstrap objects) over a MemoryStore, plain HTTP, everyone admitted. Requests
 * go through fastify inject(); no socket is opened. The internal loops (GC, namespace) start on request.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { KubeObject } from '../../api/object.js';
import { PolicyIndex } from '../authz/rbac/policy-index.js';
import { bootstrapCluster } from '../internal/bootstrap-cluster.js';
import { bootstrapPolicyObjects, reconcileBootstrapPolicy } from '../internal/bootstrap-policy/reconcile.js';
import { GarbageCollector } from '../internal/garbage-collector.js';
import { NamespaceController } from '../internal/namespace-controller.js';
import { IpAllocator } from '../registry/service/ip-allocator.js';
import { PortAllocator } from '../registry/service/port-allocator.js';
import { MemoryStore } from '../../store/memory/memory-store.js';
import type { Clock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { allowAll } from '../auth.js';
import type { Authenticator } from '../auth.js';
import { decodeProtobufObject } from '../protobuf/decode.js';
import { buildStrategies } from '../registry/kinds/index.js';
import { rbacStrategies } from '../registry/kinds/rbac.js';
import { ServiceStrategy } from '../registry/kinds/services.js';
import { buildKubeAdmission } from '../registry/kube-admission.js';
import { buildApiServer } from '../server.js';
import type { ApiServer, ApiServerOptions } from '../server.js';

export const TEST_SERVICE_CIDR = '10.96.0.0/12';
export const TEST_NODE_PORT_RANGE = '30000-32767';

export interface TestServerOptions {
  clock?: Clock;
  /** Start the garbage collector and the namespace controller. */
  controllers?: boolean;
  /** Who requests are from; default everyone is `admin` in `system:masters`. */
  authenticator?: Authenticator;
  /**
   * Run the ServiceAccount admission step (pods need their ServiceAccount, get the API access
   * volume). Off by default: no ServiceAccount controller runs here to create `default`.
   */
  serviceAccounts?: boolean;
  /** Reviews and POST-only subresources, as buildApiServer takes them. */
  createOnly?: ApiServerOptions['createOnly'];
}

export interface TestResponse {
  status: number;
  headers: LightMyRequestResponse['headers'];
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

export interface TestServer extends ApiServer {
  store: MemoryStore;
  services: ServiceStrategy;
  /** inject() with a JSON body (objects are serialised; strings and buffers go as they are). */
  request(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** The list metadata.resourceVersion of a collection URL (to check that nothing was written). */
  listRv(url: string): Promise<string>;
  close(): Promise<void>;
}

function parse(text: string): TestResponse['body'] {
  try {
    const v: unknown = JSON.parse(text);
    return (typeof v === 'object' && v !== null ? v : {}) as TestResponse['body'];
  } catch {
    // not JSON (text/plain health answers, NDJSON streams): callers read `text`
    return {};
  }
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const store = new MemoryStore();
  const log = silentLogger();
  const services = new ServiceStrategy(new IpAllocator(TEST_SERVICE_CIDR), PortAllocator.parse(TEST_NODE_PORT_RANGE));
  const policy = new PolicyIndex();
  const server = buildApiServer({
    store, log, admission: buildKubeAdmission({ serviceAccounts: opts.serviceAccounts ?? false }), clock: opts.clock, authenticator: opts.authenticator ?? allowAll,
    strategies: { ...buildStrategies({ services }), ...rbacStrategies(policy) }, policy,
    protobuf: (body) => decodeProtobufObject(body).object as KubeObject,
    ...(opts.createOnly ? { createOnly: opts.createOnly } : {}),
  });
  await server.app.ready();
  await bootstrapCluster({ handler: server.handler, log, kubernetesServiceIP: services.ips.nth(1), dnsServiceIP: services.ips.nth(10), advertiseAddress: '127.0.0.1', port: 6443 });
  await reconcileBootstrapPolicy({ handler: server.handler, log });
  // the authorizer reads the policy from the store's watch: wait until it has seen all of it
  for (const want = bootstrapPolicyObjects().length; policy.size < want;) await new Promise((r) => setTimeout(r, 1));

  const ac = new AbortController();
  const running: Promise<void>[] = [];
  if (opts.controllers) {
    running.push(new GarbageCollector({ handler: server.handler, log }).run(ac.signal));
    running.push(new NamespaceController({ handler: server.handler, log, extraResources: () => server.extensions.storageResources() }).run(ac.signal));
  }

  const request: TestServer['request'] = async (method, url, body, headers = {}) => {
    const payload = body === undefined ? undefined
      : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const res = await server.app.inject({
      method, url, payload,
      headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    });
    return { status: res.statusCode, headers: res.headers, text: res.body, body: parse(res.body) };
  };

  return {
    ...server, store, services, request,
    async listRv(url) {
      const res = await request('GET', url);
      if (res.status !== 200) throw new Error(`list ${url}: ${res.status} ${res.text}`);
      return String(res.body.metadata?.['resourceVersion']);
    },
    async close() {
      ac.abort();
      await Promise.all(running);
      await server.app.close();
      await store.close();
    },
  };
}
