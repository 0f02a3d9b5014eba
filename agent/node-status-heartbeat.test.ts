import { describe, expect, it } from 'vitest';
import type { Readable } from 'node:stream';
import { RestClient } from '../control/client/rest-client.js';
import type { Transport, TransportResponse } from '../control/client/transport.js';
import { systemClock } from '../control/util/clock.js';
import { silentLogger } from '../control/util/log.js';
import { CriError } from '../cri/errors.js';
import { FakeRuntime } from '../cri/fake/fake-runtime.js';
import type { Runtime } from '../cri/types.js';
import { eventually } from '../test/helpers/eventually.js';
import { NodeStatusManager } from './node-status.js';
import { NODE, TEST_HOST } from './testing/agent-harness.js';

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: NODE, namespace: 'kube-node-lease', resourceVersion: '1' }, spec: {} };

/** A network that can be cut: requests then hang until their connections are closed. */
class CuttableTransport implements Transport {
  mode: 'ok' | 'cut' | 'error' = 'ok';
  closes = 0;
  requests = 0;
  private pending: Array<(err: Error) => void> = [];

  get hanging(): number { return this.pending.length; }

  request(): Promise<TransportResponse> {
    this.requests++;
    if (this.mode === 'cut') return new Promise((_, reject) => { this.pending.push(reject); });
    if (this.mode === 'error') return Promise.resolve({ status: 500, body: Buffer.from(JSON.stringify({ kind: 'Status', status: 'Failure', code: 500, message: 'etcd down' })) });
    return Promise.resolve({ status: 200, body: Buffer.from(JSON.stringify(LEASE)) });
  }

  stream(): Promise<{ status: number; body: Readable }> { return Promise.reject(new Error('no streams here')); }

  closeAllConnections(): void {
    this.closes++;
    for (const reject of this.pending.splice(0)) reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  }
}

function manager(t: CuttableTransport, o: { runtime?: Runtime; statusIntervalMs?: number; leaseIntervalMs?: number } = {}): NodeStatusManager {
  return new NodeStatusManager({
    client: new RestClient(t), runtime: o.runtime ?? new FakeRuntime(), nodeName: NODE, nodeIP: '10.0.0.2', host: TEST_HOST, log: silentLogger(), clock: systemClock,
    statusIntervalMs: o.statusIntervalMs ?? 3_600_000, leaseIntervalMs: o.leaseIntervalMs ?? 20, heartbeatTimeoutMs: 100, health: () => ({ ready: true }),
  });
}

describe('node heartbeats', () => {
  it('a heartbeat the server never answers closes every connection, so nothing waits on a dead socket', async () => {
    const t = new CuttableTransport();
    const ac = new AbortController();
    const running = manager(t).run(ac.signal);
    await eventually(() => { expect(t.requests).toBeGreaterThanOrEqual(2); }); // get + update while connected
    expect(t.closes).toBe(0);
    t.mode = 'cut';
    await eventually(() => { expect(t.closes).toBeGreaterThanOrEqual(2); }, { timeoutMs: 3000 });
    expect(t.hanging).toBeLessThanOrEqual(1); // only the current heartbeat's request, at most
    t.mode = 'ok';
    const closes = t.closes;
    const seen = t.requests;
    await eventually(() => { expect(t.requests).toBeGreaterThan(seen + 4); });
    expect(t.closes).toBeLessThanOrEqual(closes + 1); // at most the heartbeat that was pending at reconnect
    ac.abort();
    await running;
  });

  it('an answer from the server, even an error, keeps the connections', async () => {
    const t = new CuttableTransport();
    t.mode = 'error';
    const ac = new AbortController();
    const running = manager(t).run(ac.signal);
    await eventually(() => { expect(t.requests).toBeGreaterThanOrEqual(5); });
    ac.abort();
    await running;
    expect(t.closes).toBe(0);
  });

  it('a runtime that fails the status update is no reason to close the connections', async () => {
    const t = new CuttableTransport();
    const runtime = new FakeRuntime();
    let lists = 0;
    runtime.listImages = () => { lists++; return Promise.reject(new CriError('Unavailable', 'docker is restarting')); };
    const ac = new AbortController();
    const running = manager(t, { runtime, statusIntervalMs: 20, leaseIntervalMs: 3_600_000 }).run(ac.signal);
    await eventually(() => { expect(lists).toBeGreaterThanOrEqual(3); });
    ac.abort();
    await running;
    expect(t.closes).toBe(0);
  });
});
