/**
 * Fake nodes against a TestControlPlane over HTTPS (the agent arrives with issue 4): each
 * registers a Node, renews its Lease and plays kubelet for the pods bound to it.
 */
import type { Taint } from 'kubernetes-types/core/v1.js';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import { FakeKubelet } from '../../control/controller-manager/testing/fake-kubelet.js';
import type { TestControlPlane } from './control-plane.js';

export interface FakeNodeSpec { name: string; cpu?: string; memory?: string; /** allocatable pods (default 110) */ pods?: string; labels?: Record<string, string>; taints?: Taint[] }

export class FakeNodes {
  private readonly ac = new AbortController();
  private readonly transport: HttpsTransport;
  readonly client: RestClient;
  readonly nodes = new Map<string, FakeKubelet>();

  constructor(cp: TestControlPlane) {
    this.transport = new HttpsTransport({ server: cp.url, caCertPem: cp.caCert, token: cp.token });
    this.client = new RestClient(this.transport, { fieldManager: 'fake-kubelet' });
  }

  async add(...specs: FakeNodeSpec[]): Promise<void> {
    for (const s of specs) {
      const k = new FakeKubelet({ client: this.client, nodeName: s.name, capacity: { cpu: s.cpu, memory: s.memory, pods: s.pods }, labels: s.labels, taints: s.taints, leaseRenewMs: 1000 });
      await k.register();
      void k.run(this.ac.signal);
      this.nodes.set(s.name, k);
    }
  }

  stop(): void {
    this.ac.abort();
    this.transport.close();
  }
}
