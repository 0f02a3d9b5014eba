/**
 * Test harness for the kubelet core: the in-process API server (startControllerEnv), a
 * FakeRuntime, a temp data dir and a running agent for node "node-a" with short timers.
 * Test-only: control/controller-manager/testing is the one import outside control/{api,client,util}.
 * The agent logs at debug into the harness (`logs`), which counts each pod's completed syncs: the
 * observable tests wait on before asserting that a sync did NOT do something.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { isApiError } from '../../control/api/status.js';
import { startControllerEnv } from '../../control/controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../control/controller-manager/testing/controller-env.js';
import type { RestClient } from '../../control/client/rest-client.js';
import { LogCapture } from '../../control/util/testing/log-capture.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import { eventually } from '../../test/helpers/eventually.js';
import { buildAgent } from '../agent.js';
import type { Agent, AgentOptions } from '../agent.js';
import type { HostInfo } from '../host-info.js';
import { FakeMounter } from './fake-mounter.js';

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
  /** What the agents of this harness mounted (tmpfs emptyDirs). */
  mounter: FakeMounter;
  dataDir: string;
  agent: Agent;
  /** Every line the agents of this harness logged (at debug). */
  logs: LogCapture;
  /** (Re)start an agent on the same runtime and data dir. */
  startAgent(extra?: Partial<AgentOptions>): void;
  stopAgent(): Promise<void>;
  createPod(pod: Pod): Promise<Pod>;
  getPod(name: string, ns?: string): Promise<Pod | undefined>;
  events(name: string): Promise<Event[]>;
  /** Syncs of the pod completed so far, by every agent this harness started (pod workers sync one at a time). */
  syncs(name: string, ns?: string): number;
  /**
   * Resolves once a sync of the pod that began after this call has completed: proof the agent
   * looked at the pod again. Pokes the pod (an annotation) so that it syncs at once.
   */
  nextSync(name: string, ns?: string): Promise<void>;
  close(): Promise<void>;
}

/** A debug log capture that counts 'Synced pod' lines per pod ("ns/name"). */
function syncCountingLogs(counts: Map<string, number>): LogCapture {
  return new LogCapture({
    onLine(line) {
      if (!line.includes('"Synced pod"')) return;
      const { pod, msg } = JSON.parse(line) as { pod?: string; msg?: string };
      if (msg === 'Synced pod' && pod) counts.set(pod, (counts.get(pod) ?? 0) + 1);
    },
  });
}

export async function startAgentHarness(o: { runtime?: FakeRuntime; agent?: Partial<AgentOptions> } = {}): Promise<AgentHarness> {
  const env = await startControllerEnv({ gc: false });
  const runtime = o.runtime ?? new FakeRuntime({ images: ['busybox:1'], runtimeName: 'docker', runtimeVersion: '20.10.24' });
  const dataDir = await mkdtemp(join(tmpdir(), 'tk-agent-'));
  const mounter = new FakeMounter();
  const syncCounts = new Map<string, number>();
  const logs = syncCountingLogs(syncCounts);
  const log = logs.log;
  let pokes = 0;
  let ac = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const h: AgentHarness = {
    env, client: env.client, runtime, mounter, dataDir, agent: undefined as unknown as Agent, logs,
    startAgent(extra = {}) {
      ac = new AbortController();
      h.agent = buildAgent({
        client: env.client, runtime, nodeName: NODE, nodeIP: '192.168.5.10', dataDir, log, host: TEST_HOST,
        relistMs: 50, resyncMs: 1000, statusIntervalMs: 60_000, leaseIntervalMs: 60_000, probeSecondMs: 50, staticPodCheckMs: 100, mounter,
        ...o.agent, ...extra,
      });
      running = h.agent.start(ac.signal).catch(() => undefined); // a failed start shows in the test's assertions
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
    syncs(name, ns = 'default') { return syncCounts.get(`${ns}/${name}`) ?? 0; },
    async nextSync(name, ns = 'default') {
      // syncs of one pod are serial: the second to complete after this call also began after it
      const from = h.syncs(name, ns);
      for (const n of [1, 2]) {
        await env.client.patch(PODS, ns, name, 'merge', { metadata: { annotations: { 'test.tinykube.io/poke': String(++pokes) } } });
        await eventually(() => {
          if (h.syncs(name, ns) < from + n) throw new Error(`pod ${ns}/${name}: ${h.syncs(name, ns)} syncs, waiting for ${from + n}`);
        });
      }
    },
    async close() { await h.stopAgent(); await env.close(); await rm(dataDir, { recursive: true, force: true }); },
  };
  h.startAgent();
  return h;
}
