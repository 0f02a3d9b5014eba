import { describe, expect, it } from 'vitest';
import { renderRules, renderTables, serializeTables, serviceChainsOf } from './render.js';
import { checkRuleJumps, declaredChains } from './rule-check.js';
import { RENDER_OPTS, ep, manyServices, servicePort, state } from './testing/fixtures.js';
import type { ProxyState, RenderOptions } from './types.js';

const web = servicePort('default/web:http', {
  clusterIP: '10.96.0.20', endpoints: [ep('10.244.1.2'), ep('10.244.1.3'), ep('10.244.2.2')],
});
const nodePort = servicePort('default/myapp-service', {
  clusterIP: '10.96.0.30', nodePort: 30008, endpoints: [ep('10.244.1.5', 80), ep('10.244.2.5', 80)],
});
const empty = servicePort('default/empty', { clusterIP: '10.96.0.40', nodePort: 30009 });
const affinity = servicePort('default/sticky:web', {
  clusterIP: '10.96.0.50', sessionAffinity: 'ClientIP', affinityTimeoutSeconds: 600, endpoints: [ep('10.244.1.7'), ep('10.244.2.7')],
});
const local = servicePort('default/local', {
  clusterIP: '10.96.0.60', nodePort: 30010, externalTrafficPolicy: 'Local', endpoints: [ep('10.244.1.8', 80, true), ep('10.244.2.8', 80)],
});
const noLocal = servicePort('default/remote-only', {
  clusterIP: '10.96.0.61', nodePort: 30011, externalTrafficPolicy: 'Local', endpoints: [ep('10.244.2.9', 80)],
});
const lb = servicePort('default/front:http', {
  clusterIP: '10.96.0.70', nodePort: 30012, loadBalancerIPs: ['10.200.0.11', '10.200.0.12'], externalIPs: ['10.200.0.99'],
  endpoints: [ep('10.244.1.10', 80)],
});
const lbEmpty = servicePort('default/front-empty', { clusterIP: '10.96.0.71', nodePort: 30013, loadBalancerIPs: ['10.200.0.11'] });
const dns = servicePort('kube-system/kube-dns:dns', { clusterIP: '10.96.0.10', port: 53, protocol: 'UDP', endpoints: [ep('10.244.1.53', 53)] });

const CASES: Array<[string, ProxyState, RenderOptions]> = [
  ['clusterip-3-endpoints', state(web, dns), RENDER_OPTS],
  ['nodeport', state(nodePort), RENDER_OPTS],
  ['no-endpoints', state(empty, lbEmpty), RENDER_OPTS],
  ['affinity', state(affinity), RENDER_OPTS],
  ['local-policy', state(local, noLocal), RENDER_OPTS],
  ['loadbalancer', state(lb), RENDER_OPTS],
];

describe('renderRules', () => {
  it.each(CASES)('%s matches its golden file and every jump target exists', async (name, st, opts) => {
    const payload = renderRules(st, opts);
    await expect(payload).toMatchFileSnapshot(`testdata/${name}.rules`);
    expect(checkRuleJumps(payload)).toEqual([]);
  });

  it('partial sync: only the changed service chains, top-level in full, stale chains deleted last', async () => {
    const before = state(web, nodePort);
    const changed = { ...nodePort, endpoints: [ep('10.244.1.5', 80), ep('10.244.3.5', 80)] };
    const after = state(web, changed);
    const oldChains = new Set(serviceChainsOf(nodePort));
    const newChains = serviceChainsOf(changed);
    const stale = [...oldChains].filter((c) => !newChains.includes(c));
    const payload = renderRules(after, { ...RENDER_OPTS, onlyChains: new Set(newChains), staleChains: stale });
    await expect(payload).toMatchFileSnapshot('testdata/partial-sync.rules');
    expect(stale).toHaveLength(1);
    const lines = payload.trimEnd().split('\n');
    expect(lines.at(-2)).toBe(`-X ${stale[0]}`);
    // the web chains are referenced but not declared: they exist from the previous (full) sync
    const existing = { nat: [...declaredChains(renderRules(before, RENDER_OPTS)).get('nat') ?? []] };
    expect(checkRuleJumps(payload)).not.toEqual([]);
    expect(checkRuleJumps(payload, existing)).toEqual([]);
    for (const c of serviceChainsOf(web)) expect(payload).not.toContain(`:${c} `);
  });

  it('balances with 1/(n-i) probabilities and hairpin-masquerades each endpoint', () => {
    const payload = renderRules(state(web), RENDER_OPTS);
    expect(payload).toContain('--probability 0.3333333333 ');
    expect(payload).toContain('--probability 0.5000000000 ');
    expect(payload.match(/-s 10\.244\.\d+\.\d+\/32 -j TK-MARK-MASQ/g)).toHaveLength(3);
  });

  it('chain names fit in 28 characters and a 200-service payload is consistent', () => {
    const payload = renderRules(manyServices(200, 3), RENDER_OPTS);
    expect(checkRuleJumps(payload)).toEqual([]);
    for (const c of declaredChains(payload).get('nat') ?? []) expect(c.length).toBeLessThanOrEqual(28);
    // per service: TK-SVC + 3 TK-SEP (Cluster policy: the NodePort entry jumps to TK-SVC, no TK-EXT);
    // NodePorts 30000-30199 make two range chains
    expect((declaredChains(payload).get('nat') ?? new Set()).size).toBe(4 + 2 + 200 * (1 + 3));
  });

  it('many NodePorts: TK-NODEPORTS dispatches on port ranges, each range chain holds only its ports', () => {
    const sps = [
      ...Array.from({ length: 40 }, (_, i) => servicePort(`default/s${i}`, { clusterIP: `10.96.1.${i + 1}`, nodePort: 30000 + i * 7, endpoints: [ep('10.244.1.2')] })),
      servicePort('default/dns', { clusterIP: '10.96.0.10', port: 53, protocol: 'UDP', nodePort: 30053, endpoints: [ep('10.244.1.53', 53)] }),
    ];
    const tables = renderTables(state(...sps), RENDER_OPTS);
    expect(tables.nat.get('TK-NODEPORTS')).toEqual([
      '-A TK-NODEPORTS -m tcp -p tcp --dport 30000:30099 -j TK-NODEPORTS-TCP-30000',
      '-A TK-NODEPORTS -m tcp -p tcp --dport 30100:30199 -j TK-NODEPORTS-TCP-30100',
      '-A TK-NODEPORTS -m tcp -p tcp --dport 30200:30299 -j TK-NODEPORTS-TCP-30200',
      '-A TK-NODEPORTS -m udp -p udp --dport 30000:30099 -j TK-NODEPORTS-UDP-30000',
    ]);
    const first = tables.nat.get('TK-NODEPORTS-TCP-30000') ?? [];
    expect(first).toHaveLength(2 * 15); // ports 30000, 30007, … 30098: mark + jump each
    for (const r of first) expect(Number(/--dport (\d+)/.exec(r)?.[1])).toBeLessThan(30100);
    expect(tables.nat.get('TK-NODEPORTS-UDP-30000')?.[1]).toMatch(/-m udp -p udp --dport 30053 -j TK-SVC-/);
    expect(checkRuleJumps(serializeTables(tables))).toEqual([]);
    // a few NodePorts: kube-proxy's flat chain
    expect(renderTables(state(...sps.slice(0, 3)), RENDER_OPTS).nat.get('TK-NODEPORTS')?.[0]).toMatch(/--dport 30000 -j TK-MARK-MASQ$/);
  });

  it('the jump check reports a target that is not declared', () => {
    const bad = '*nat\n:TK-SERVICES - [0:0]\n-A TK-SERVICES -j TK-SVC-NOPE\n-A TK-OTHER -j ACCEPT\nCOMMIT\n';
    expect(checkRuleJumps(bad)).toEqual([
      'line 3: jump target TK-SVC-NOPE is not a chain of table nat',
      'line 4: chain TK-OTHER is not declared in table nat',
    ]);
  });
});
