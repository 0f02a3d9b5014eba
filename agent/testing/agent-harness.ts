/**
 * Test harness for the kubelet core: the in-process API server (startControllerEnv), a
 * FakeRuntime, a temp data dir and a running agent for node "node-a" with short timers.
 * Test-only: control/controllers/testing is the one import outside control/{api,client,util}.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { isApiError } from '../../control/api/status.js';
import { startControllerEnv } from '../../control/controllers/testing/controller-env.js';
import type { ControllerEnv } from '../../control/controllers/testing/controller-env.js';
import type { RestClient } from '../../control/client/rest-client.js';
import { silentLogger } from '../../control/util/log.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import { buildAgent } from '../agent.js';
import type { Agent, AgentOptions } from '../agent.js';
import type { HostInfo } from '../host-info.js';

export const PODS = findResource('', 'v1', 'pods')!;
export const NODE = 'node-a';
export const TEST_HOST: HostInfo = {
  hostname: 'host-a', cpu: 4, memoryBytes: 8 * 2 ** 30, ephemeralStorageBytes: 100 * 2 ** 30, osImage: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.1.0-test', architecture: 'amd64', machineID: 'm1', systemUUID: 'u1', bootID: 'b1',
};

export interface AgentHarness {
  env: ControllerEnv;
  client: RestClient;
  runtime: FakeRuntime;
  dataDir: string;
  agent: Agent;
  /** (Re)start an agent on the same runtime and data dir. */
  startAgent(extra?: Partial<AgentOptions>): void;
  stopAgent(): Promise<void>;
  createPod(pod: Pod): Promise<Pod>;
  getPod(name: string, ns?: string): Promise<Pod | undefined>;
  events(name: string): Promise<Event[]>;
  close(): Promise<void>;
}

export async function startAgentHarness(o: { runtime?: FakeRuntime; agent?: Partial<AgentOptions> } = {}): Promise<AgentHarness> {
  const env = await startControllerEnv({ gc: false });
  const runtime = o.runtime ?? new FakeRuntime({ images: ['busybox:1'], runtimeName: 'docker', runtimeVersion: '20.10.24' });
  const dataDir = await mkdtemp(join(tmpdir(), 'tk-agent-'));
  let ac = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const h: AgentHarness = {
    env, client: env.client, runtime, dataDir, agent: undefined as unknown as Agent,
    startAgent(extra = {}) {
      ac = new AbortController();
      h.agent = buildAgent({
        client: env.client, runtime, nodeName: NODE, nodeIP: '192.168.5.10', dataDir, log: silentLogger(), host: TEST_HOST,
        relistMs: 50, resyncMs: 1000, statusIntervalMs: 60_000, leaseIntervalMs: 60_000, probeSecondMs: 50, staticPodCheckMs: 100,
        ...o.agent, ...extra,
      });
      running = h.agent.start(ac.signal).catch(() => undefined);
    },
    async stopAgent() { ac.abort(); await running; },
    async createPod(pod) {
      const body = { apiVersion: 'v1', kind: 'Pod', ...pod, metadata: { namespace: 'default', ...pod.metadata }, spec: { nodeName: NODE, ...pod.spec } };
      return env.client.create<Pod & KubeObject>(PODS, body.metadata.namespace, body as KubeObject);
    },
    async getPod(name, ns = 'default') {
      try { return await env.client.get<Pod & KubeObject>(PODS, ns, name); } catch (err) {
        if (isApiError(err) && err.code === 404) return undefined;
        throw err;
      }
    },
    async events(name) {
      const l = await env.client.list<Event & KubeObject>(findResource('', 'v1', 'events')!, 'default');
      return l.items.filter((e) => e.involvedObject.name === name);
    },
    async close() { await h.stopAgent(); await env.close(); await rm(dataDir, { recursive: true, force: true }); },
  };
  h.startAgent();
  return h;
}

/** Poll `fn` until it returns a truthy value (or stops throwing). */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 1500, stepMs = 10): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = new Error('condition not met');
    } catch (err) { last = err; }
    if (Date.now() > end) throw last;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
