/**
 * netproxy against real iptables in a throwaway network namespace: ClusterIP DNAT (from the node
 * and, hairpinned, from the endpoint's own netns), NodePort on the node address and on 127.0.0.1,
 * fast REJECT for a service without endpoints and for an unallocated ClusterIP, a delta sync, and
 * cleanup removing every TK- chain. Skips (saying why) without root / ip netns / iptables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../control/util/log.js';
import { ExecConntrack } from '../../netproxy/conntrack.js';
import { ExecIptables } from '../../netproxy/iptables.js';
import { Proxier } from '../../netproxy/proxier.js';
import { ep, RENDER_OPTS, servicePort } from '../../netproxy/testing/fixtures.js';
import { NODE_IP, POD_IPS, TestNetns, netnsUnavailableReason } from '../../netproxy/testing/netns.js';
import type { ProxyState } from '../../netproxy/types.js';
import { eventually } from '../helpers/eventually.js';

const reason = await netnsUnavailableReason();
if (reason) console.log(`netproxy integration skipped: ${reason}`);

const web = servicePort('default/web:http', {
  clusterIP: '10.96.0.20', nodePort: 30080, endpoints: [ep(POD_IPS[0], 8080), ep(POD_IPS[1], 8080)],
});
const empty = servicePort('default/empty', { clusterIP: '10.96.0.21', nodePort: 30081 });
/** Only the pod's primary address: the pod reaching itself through its service (both test IPs live in one netns). */
const self = servicePort('default/self', { clusterIP: '10.96.0.22', endpoints: [ep(POD_IPS[0], 8080)] });
const st = (...sps: typeof web[]): ProxyState => ({ servicePorts: sps, nodeIPs: [NODE_IP] });

/** Sets the state and waits for the sync it causes. */
async function apply(p: Proxier, state: ProxyState): Promise<NonNullable<Proxier['lastResult']>> {
  const before = p.lastResult;
  p.setState(state);
  await eventually(() => { expect(p.lastResult).not.toBe(before); }, { timeoutMs: 5000, intervalMs: 10 });
  return p.lastResult!;
}

describe.skipIf(!!reason)('netproxy in a netns (real iptables)', () => {
  let ns: TestNetns;
  let ipt: ExecIptables;
  let proxier: Proxier;

  beforeAll(async () => {
    ns = await TestNetns.create();
    await ns.startServer(8080);
    ipt = new ExecIptables({ netns: ns.node, log: silentLogger() });
    proxier = new Proxier({
      iptables: ipt, conntrack: new ExecConntrack({ netns: ns.node }), log: silentLogger(),
      render: RENDER_OPTS, minSyncIntervalMs: 0, syncPeriodMs: 60_000,
    });
  });
  afterAll(async () => {
    proxier?.close();
    await ns?.close();
  });

  it('detects one backend and loads the rules with one restore', async () => {
    expect(['nft', 'legacy']).toContain(await ipt.backend());
    expect(await apply(proxier, st(web, empty, self))).toMatchObject({ ok: true, full: true });
    const nat = await ipt.save('nat');
    expect(nat).toMatch(/-A PREROUTING .*-j TK-SERVICES/);
    expect(nat).toMatch(/-A OUTPUT .*-j TK-SERVICES/);
    expect(nat).toMatch(/-A POSTROUTING .*-j TK-POSTROUTING/);
    // ensureJumps is idempotent
    await ipt.ensureJumps();
    expect((await ipt.save('nat')).match(/-A PREROUTING .*-j TK-SERVICES/g)).toHaveLength(1);
  });

  it('ClusterIP from the node reaches both endpoints', async () => {
    const res = await ns.get('http://10.96.0.20/', 30);
    expect(res.every((r) => r.ok)).toBe(true);
    expect(new Set(res.map((r) => r.body))).toEqual(new Set(POD_IPS));
  });

  it('ClusterIP from the endpoint itself works (hairpin)', async () => {
    const res = await ns.get('http://10.96.0.22/', 10, { netns: ns.pod });
    expect(res.map((r) => r.body)).toEqual(Array(10).fill(POD_IPS[0]));
  });

  it('NodePort answers on the node address and on 127.0.0.1', async () => {
    for (const url of [`http://${NODE_IP}:30080/`, 'http://127.0.0.1:30080/']) {
      const res = await ns.get(url, 10);
      expect(res.every((r) => r.ok), url).toBe(true);
    }
    const fromPod = await ns.get(`http://${NODE_IP}:30080/`, 5, { netns: ns.pod });
    expect(fromPod.every((r) => r.ok)).toBe(true);
  });

  it('a service without endpoints and an unallocated ClusterIP are refused fast', async () => {
    for (const [url, netns] of [
      ['http://10.96.0.21/', ns.node], [`http://${NODE_IP}:30081/`, ns.node], ['http://127.0.0.1:30081/', ns.node],
      ['http://10.96.0.99/', ns.node], ['http://10.96.0.21/', ns.pod], ['http://10.96.0.99/', ns.pod],
    ] as const) {
      const res = await ns.get(url, 5, { netns, timeoutMs: 3000 });
      for (const r of res) {
        expect(r.code, `${url} from ${netns}`).toBe('ECONNREFUSED');
        expect(r.ms, `${url} from ${netns}`).toBeLessThan(200);
      }
    }
  });

  it('a delta sync drops a removed endpoint and deletes its chain', async () => {
    const before = await ipt.save('nat');
    expect(await apply(proxier, st({ ...web, endpoints: [ep(POD_IPS[0], 8080)] }, empty, self)))
      .toMatchObject({ ok: true, full: false, staleChains: 1, chainsWritten: 2 }); // TK-SVC + its one TK-SEP (NodePort, policy Cluster: no TK-EXT)
    const after = await ipt.save('nat');
    expect(after.match(/^:TK-SEP-/gm)?.length).toBe((before.match(/^:TK-SEP-/gm)?.length ?? 0) - 1);
    const res = await ns.get('http://10.96.0.20/', 10);
    expect(res.map((r) => r.body)).toEqual(Array(10).fill(POD_IPS[0]));
    // the empty service gets an endpoint: ClusterIP now answers
    expect(await apply(proxier, st({ ...web, endpoints: [ep(POD_IPS[0], 8080)] }, { ...empty, endpoints: [ep(POD_IPS[1], 8080)] }, self)))
      .toMatchObject({ ok: true, full: false, staleChains: 0, chainsWritten: 2 });
    expect((await ns.get('http://10.96.0.21/', 3)).map((r) => r.body)).toEqual(Array(3).fill(POD_IPS[1]));
  });

  it('cleanup removes every TK- chain and jump', async () => {
    proxier.close();
    await ipt.cleanup();
    for (const t of ['nat', 'filter'] as const) expect(await ipt.save(t)).not.toContain('TK-');
    await ipt.cleanup(); // idempotent
  });
});
