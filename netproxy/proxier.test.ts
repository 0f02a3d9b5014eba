import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../control/util/log.js';
import { FakeConntrack } from './conntrack.js';
import { FakeIptables } from './fake-iptables.js';
import { Proxier } from './proxier.js';
import { serviceChainsOf } from './render.js';
import { checkRuleJumps } from './rule-check.js';
import { RENDER_OPTS, ep, servicePort, state } from './testing/fixtures.js';

const web = servicePort('default/web', { clusterIP: '10.96.0.20', endpoints: [ep('10.244.1.2'), ep('10.244.1.3')] });
const api = servicePort('default/api', { clusterIP: '10.96.0.21', nodePort: 30001, endpoints: [ep('10.244.1.4')] });
const dns = servicePort('kube-system/kube-dns:dns', { clusterIP: '10.96.0.10', port: 53, protocol: 'UDP', endpoints: [ep('10.244.1.53', 53), ep('10.244.2.53', 53)] });

function logCapture(): { log: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const dest = new Writable({ write(chunk: Buffer, _enc, cb) { records.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb(); } });
  return { log: pino({ level: 'debug' }, dest) as Logger, records };
}

describe('Proxier', () => {
  let ipt: FakeIptables;
  let proxier: Proxier;
  const make = (extra: Partial<ConstructorParameters<typeof Proxier>[0]> = {}) =>
    new Proxier({ iptables: ipt, log: silentLogger(), render: RENDER_OPTS, minSyncIntervalMs: 1000, syncPeriodMs: 30_000, ...extra });

  beforeEach(() => { vi.useFakeTimers(); ipt = new FakeIptables(); });
  afterEach(() => { proxier.close(); vi.useRealTimers(); });

  it('debounces: the first state syncs at once (full), a burst after it coalesces into one partial sync', async () => {
    proxier = make();
    proxier.setState(state(web));
    await vi.advanceTimersByTimeAsync(0);
    expect(ipt.payloads).toHaveLength(1);
    expect(proxier.lastResult).toMatchObject({ ok: true, full: true });
    expect(ipt.ensureJumpsCalls).toBe(1);
    proxier.setState(state(web, api));
    proxier.setState(state(api));
    proxier.setState(state(web, api));
    await vi.advanceTimersByTimeAsync(500);
    expect(ipt.payloads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(ipt.payloads).toHaveLength(2);
    expect(proxier.lastResult).toMatchObject({ ok: true, full: false });
    expect(ipt.chains('nat')).toEqual(expect.arrayContaining(serviceChainsOf(api)));
  });

  it('NodePort range chains come and go: an emptied range is deleted, unchanged ranges stay out of partial syncs', async () => {
    proxier = make({ minSyncIntervalMs: 0 });
    const many = Array.from({ length: 40 }, (_, i) => servicePort(`default/np${i}`, { clusterIP: `10.96.1.${i + 1}`, nodePort: 30000 + i * 3, endpoints: [ep('10.244.1.2')] }));
    proxier.setState(state(...many));
    await vi.advanceTimersByTimeAsync(0);
    expect(ipt.chains('nat')).toEqual(expect.arrayContaining(['TK-NODEPORTS-TCP-30000', 'TK-NODEPORTS-TCP-30100']));
    // one endpoint of a service in the first range changes: the second range chain is not rewritten
    proxier.setState(state({ ...many[0]!, endpoints: [ep('10.244.1.3')] }, ...many.slice(1)));
    await vi.advanceTimersByTimeAsync(0);
    expect(ipt.payloads.at(-1)).not.toContain(':TK-NODEPORTS-TCP-30100 ');
    // the services of 30100-30199 go away: that range chain is deleted
    proxier.setState(state(...many.slice(0, 34))); // 30000..30099: still ranges (68 rules)
    await vi.advanceTimersByTimeAsync(0);
    expect(ipt.payloads.at(-1)).toContain('-X TK-NODEPORTS-TCP-30100');
    expect(ipt.chains('nat')).not.toContain('TK-NODEPORTS-TCP-30100');
    expect(ipt.chains('nat')).toContain('TK-NODEPORTS-TCP-30000');
    expect(checkRuleJumps(await ipt.save('nat'))).toEqual([]);
  });

  it('partial sync rewrites only the changed service and deletes its stale endpoint chain last', async () => {
    proxier = make({ minSyncIntervalMs: 0 });
    proxier.setState(state(web, api));
    await vi.advanceTimersByTimeAsync(0);
    const before = new Set(ipt.chains('nat'));
    const web2 = { ...web, endpoints: [ep('10.244.1.2'), ep('10.244.1.9')] };
    proxier.setState(state(web2, api));
    await vi.advanceTimersByTimeAsync(0);
    const payload = ipt.payloads.at(-1) ?? '';
    for (const c of serviceChainsOf(api)) expect(payload).not.toContain(`:${c} `);
    for (const c of serviceChainsOf(web2)) expect(payload).toContain(`:${c} `);
    const gone = serviceChainsOf(web).filter((c) => !serviceChainsOf(web2).includes(c));
    expect(gone).toHaveLength(1);
    expect(payload.trimEnd().split('\n').at(-2)).toBe(`-X ${gone[0]}`);
    expect(ipt.chains('nat')).not.toContain(gone[0]);
    expect(checkRuleJumps(payload, { nat: [...before] })).toEqual([]);
    expect(proxier.lastResult).toMatchObject({ full: false, chainsWritten: serviceChainsOf(web2).length, staleChains: 1 });
    // an endpoint change leaves every top-level chain as it was: none is rewritten
    for (const c of ['TK-SERVICES', 'TK-NODEPORTS', 'TK-POSTROUTING', 'TK-MARK-MASQ', 'TK-FORWARD', 'TK-EXTERNAL-SERVICES']) expect(payload).not.toContain(`:${c} `);

    // a removed service: its chains are stale, the top-level chains no longer mention it
    proxier.setState(state(web2));
    await vi.advanceTimersByTimeAsync(0);
    expect(ipt.payloads.at(-1)).toContain(':TK-NODEPORTS ');
    expect(ipt.payloads.at(-1)).toContain(':TK-SERVICES ');
    for (const c of serviceChainsOf(api)) expect(ipt.chains('nat')).not.toContain(c);
    expect(ipt.rules('nat', 'TK-NODEPORTS')).toEqual([]);
  });

  it('a full sync finds stale TK- service chains left by an earlier run with iptables-save', async () => {
    await ipt.restore('*nat\n:TK-SVC-LEFTOVER - [0:0]\n:TK-SEP-LEFTOVER - [0:0]\n-A TK-SVC-LEFTOVER -j TK-SEP-LEFTOVER\n:OTHER-CHAIN - [0:0]\nCOMMIT\n');
    proxier = make();
    proxier.setState(state(web));
    await vi.advanceTimersByTimeAsync(0);
    expect(ipt.chains('nat')).not.toContain('TK-SVC-LEFTOVER');
    expect(ipt.chains('nat')).not.toContain('TK-SEP-LEFTOVER');
    expect(ipt.chains('nat')).toContain('OTHER-CHAIN');
  });

  it('a failed restore logs the lines around the failing one and retries with a full sync after syncPeriod', async () => {
    const { log, records } = logCapture();
    proxier = make({ log, minSyncIntervalMs: 0 });
    proxier.setState(state(web));
    await vi.advanceTimersByTimeAsync(0);
    ipt.failNextRestore(12);
    proxier.setState(state(web, api));
    await vi.advanceTimersByTimeAsync(0);
    expect(proxier.lastResult).toMatchObject({ ok: false, full: false });
    const failed = records.find((r) => r['msg'] === 'Failed to sync iptables rules');
    expect(failed?.['lines']).toEqual(expect.arrayContaining([expect.stringMatching(/^>\s+12: /), expect.stringMatching(/^ \s+7: /)]));
    const jumps = ipt.ensureJumpsCalls;
    await vi.advanceTimersByTimeAsync(29_000);
    expect(ipt.payloads).toHaveLength(2); // initial and the failed one; the retry waits for syncPeriod
    await vi.advanceTimersByTimeAsync(1_100);
    expect(ipt.payloads).toHaveLength(3);
    expect(proxier.lastResult).toMatchObject({ ok: true, full: true });
    expect(ipt.ensureJumpsCalls).toBe(jumps + 1);
    expect(ipt.chains('nat')).toEqual(expect.arrayContaining(serviceChainsOf(api)));
  });

  it('resyncs in full every syncPeriod and records the duration histogram', async () => {
    const registry = new Registry();
    proxier = make({ registry });
    proxier.setState(state(web));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(ipt.payloads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(ipt.payloads).toHaveLength(2);
    expect(proxier.lastResult?.full).toBe(true);
    const text = await registry.metrics();
    expect(text).toContain('netproxy_sync_proxy_rules_duration_seconds_count 2');
  });

  it('clears UDP conntrack entries of removed endpoints', async () => {
    const conntrack = new FakeConntrack();
    proxier = make({ conntrack, minSyncIntervalMs: 0 });
    proxier.setState(state(dns));
    await vi.advanceTimersByTimeAsync(0);
    expect(conntrack.deleted).toEqual([{ protocol: 'udp', origDst: '10.96.0.10' }]); // first endpoints: REJECT entries go
    conntrack.deleted.length = 0;
    proxier.setState(state({ ...dns, endpoints: [ep('10.244.1.53', 53)] }));
    await vi.advanceTimersByTimeAsync(0);
    expect(conntrack.deleted).toEqual([{ protocol: 'udp', origDst: '10.96.0.10', dstNat: '10.244.2.53' }]);
  });
});
