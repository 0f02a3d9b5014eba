/**
 * Benchmark of the netproxy (issue 5) in a throwaway network namespace with real iptables:
 * 1,000 services × 3 endpoints (ClusterIP + NodePort each) loaded by the real Proxier — the full
 * sync (one iptables-restore) and a one-endpoint-change delta sync — printed beside the same rules
 * applied one `iptables -A` at a time (a sample, run in a loop inside the netns, extrapolated;
 * bounded to 20 s); then NodePort vs direct pod-IP throughput (new connection per request) through
 * a node http server in the pod netns, with the 1,000 services still loaded.
 *
 *   node dist/test/bench/netproxy.bench.js [--services N] [--sample N] [--seconds S] [--backend nft|legacy]
 *
 * Skips (exit 0) without root / ip netns / iptables. Timing never fails the run; a failed sync
 * or a NodePort that does not answer does (exit 1).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { silentLogger } from '../../control/util/log.js';
import { ExecIptables } from '../../netproxy/iptables.js';
import { Proxier } from '../../netproxy/proxier.js';
import { renderRules } from '../../netproxy/render.js';
import { RENDER_OPTS, ep, manyServices, servicePort } from '../../netproxy/testing/fixtures.js';
import { NODE_IP, POD_IPS, TestNetns, netnsUnavailableReason } from '../../netproxy/testing/netns.js';
import type { ProxyState, ServicePort } from '../../netproxy/types.js';
import { fmtMs, fmtRate, verdict, exitCodeFor } from './report.js';

const run = promisify(execFile);

/** Targets from issue 5. */
export const TARGETS = { fullSyncMs: 1000, deltaSyncMs: 50, nodePortRatio: 0.9 } as const;
const NAIVE_BUDGET_MS = 20_000;

function arg(argv: readonly string[], name: string, dflt: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Load generator run inside the node netns: `conc` loops of GETs, a new connection each, for `ms`. */
const LOAD = `
const http = require('node:http');
const [url, conc, ms] = JSON.parse(process.argv[1]);
let ok = 0, failed = 0; const end = Date.now() + ms;
const one = () => new Promise((resolve) => {
  const req = http.get(url, { agent: false, timeout: 2000 }, (res) => { res.resume(); res.on('end', () => { ok++; resolve(); }); });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => { failed++; resolve(); });
});
const loop = async () => { while (Date.now() < end) await one(); };
const t0 = performance.now();
Promise.all(Array.from({ length: conc }, loop)).then(() => process.stdout.write(JSON.stringify({ ok, failed, s: (performance.now() - t0) / 1000 })));
`;

async function load(ns: TestNetns, url: string, seconds: number): Promise<{ rate: number; failed: number }> {
  const { stdout } = await run('ip', ['netns', 'exec', ns.node, process.execPath, '-e', LOAD, JSON.stringify([url, 16, seconds * 1000])], { timeout: seconds * 1000 + 30_000 });
  const r = JSON.parse(stdout) as { ok: number; failed: number; s: number };
  return { rate: r.ok / r.s, failed: r.failed };
}

/** `-A` lines of a payload's tables, in order, with their table. */
function appendLines(payload: string): Array<{ table: string; rule: string }> {
  let table = '';
  const out: Array<{ table: string; rule: string }> = [];
  for (const line of payload.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith('-A ')) out.push({ table, rule: line });
  }
  return out;
}

async function main(argv: readonly string[]): Promise<number> {
  const log = (s: string) => process.stdout.write(`${s}\n`);
  const reason = await netnsUnavailableReason();
  if (reason) { log(`netproxy benchmark skipped: ${reason}`); return 0; }
  const nServices = arg(argv, '--services', 1000);
  const sampleSize = arg(argv, '--sample', 300);
  const seconds = arg(argv, '--seconds', 4);
  const failures: string[] = [];
  const ns = await TestNetns.create();
  const tmp = mkdtempSync(join(tmpdir(), 'tk-netproxy-bench-'));
  try {
    await ns.startServer(8080);
    const forced = argv.includes('--backend') ? argv[argv.indexOf('--backend') + 1] : undefined;
    const ipt = new ExecIptables({ netns: ns.node, ...(forced === 'nft' || forced === 'legacy' ? { backend: forced } : {}) });
    const backend = await ipt.backend();
    const version = (await ns.exec(`iptables-${backend}`, ['--version'])).stdout.trim();
    const bench = manyServices(nServices, 3);
    const web = servicePort('default/web', { clusterIP: '10.96.0.20', nodePort: 32500, endpoints: [ep(POD_IPS[0], 8080)] });
    const stateWith = (sps: readonly ServicePort[]): ProxyState => ({ servicePorts: [...sps, web], nodeIPs: [NODE_IP] });
    const proxier = new Proxier({ iptables: ipt, log: silentLogger(), render: RENDER_OPTS, minSyncIntervalMs: 0, syncPeriodMs: 3_600_000 });
    const apply = async (st: ProxyState) => {
      const before = proxier.lastResult;
      proxier.setState(st);
      for (let i = 0; i < 3000 && proxier.lastResult === before; i++) await new Promise((r) => setTimeout(r, 2));
      const res = proxier.lastResult;
      if (!res || res === before || !res.ok) throw new Error('sync failed or timed out');
      return res;
    };

    // ---- full sync
    const state = stateWith(bench.servicePorts);
    const payload = renderRules(state, RENDER_OPTS);
    const rules = appendLines(payload);
    const tRender = performance.now();
    renderRules(state, RENDER_OPTS);
    const renderMs = performance.now() - tRender;
    const full = await apply(state);
    const chains = (payload.match(/^:/gm) ?? []).length;
    log(`backend: ${backend} (${version}); ${fmtRate(nServices)} services × 3 endpoints + NodePorts: ${fmtRate(rules.length)} rules, ${fmtRate(chains)} chains, ${(payload.length / 1e6).toFixed(2)} MB`);
    log(`full sync (ensureJumps + iptables-save + render + ONE iptables-restore): ${fmtMs(full.elapsedMs)} ms  target ≤ ${TARGETS.fullSyncMs} ms: ${verdict(full.elapsedMs <= TARGETS.fullSyncMs)}`);
    const restores: number[] = [];
    for (let i = 0; i < 3; i++) { const t = performance.now(); await ipt.restore(payload); restores.push(performance.now() - t); }
    log(`  of which render ${fmtMs(renderMs)} ms; the restore alone (same payload again): median ${fmtMs(median(restores))} ms (n=3)`);

    // ---- delta: one endpoint of one service changes (back and forth)
    const deltas: number[] = [];
    let written = 0;
    const k = Math.floor(nServices / 2);
    for (let i = 0; i < 12; i++) {
      const sps = [...bench.servicePorts];
      const orig = sps[k];
      if (!orig) break;
      sps[k] = { ...orig, endpoints: [...orig.endpoints.slice(0, 2), ep(`10.244.250.${(i % 2) + 1}`, 8080)] };
      const r = await apply(stateWith(sps));
      if (r.full) failures.push('delta sync ran as a full sync');
      if (i >= 2) deltas.push(r.elapsedMs); // the first two warm the JIT up (the agent is a long-running process)
      written = r.chainsWritten;
    }
    await apply(state); // back to the full-sync state: the naive run below appends rules of that payload
    const delta = median(deltas);
    const tiny: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await ipt.restore('*nat\n:TK-BENCH-PROBE - [0:0]\n-A TK-BENCH-PROBE -j RETURN\nCOMMIT\n'); // removed by cleanup()
      tiny.push(performance.now() - t);
    }
    log(`delta sync (one endpoint changed: ${written} chains rewritten, unchanged top-level chains left out, 1 stale chain -X'd): median ${fmtMs(delta)} ms (n=${deltas.length})  target ≤ ${TARGETS.deltaSyncMs} ms: ${verdict(delta <= TARGETS.deltaSyncMs)}`);
    log(`  for scale: a 1-rule iptables-restore into the same loaded table takes ${fmtMs(median(tiny))} ms (fixed cost of the backend and process)`);

    // ---- throughput: NodePort vs the pod IP directly (1,000 services loaded)
    const check = await ns.get(`http://${NODE_IP}:32500/`, 3);
    if (!check.every((r) => r.ok)) failures.push(`NodePort 32500 did not answer: ${JSON.stringify(check)}`);
    await load(ns, `http://${POD_IPS[0]}:8080/`, 1); // warm-up
    // interleaved slices, so a burst of load from elsewhere on the machine hits both sides alike
    const slices = 10;
    const directRates: number[] = [];
    const nodePortRates: number[] = [];
    let npFailed = 0;
    for (let i = 0; i < slices; i++) {
      directRates.push((await load(ns, `http://${POD_IPS[0]}:8080/`, seconds / slices)).rate);
      const np = await load(ns, `http://${NODE_IP}:32500/`, seconds / slices);
      nodePortRates.push(np.rate);
      npFailed += np.failed;
    }
    const directRate = directRates.reduce((a, b) => a + b, 0) / slices;
    const viaNodePort = { rate: nodePortRates.reduce((a, b) => a + b, 0) / slices };
    const ratio = viaNodePort.rate / directRate;
    if (npFailed > 0) failures.push(`${npFailed} NodePort requests failed`);
    log(`throughput, new connection per request, 16 in flight, ${seconds} s each in ${slices} interleaved slices: NodePort ${fmtRate(viaNodePort.rate)} req/s vs direct pod IP ${fmtRate(directRate)} req/s → ratio ${ratio.toFixed(2)}  target ≥ ${TARGETS.nodePortRatio}: ${verdict(ratio >= TARGETS.nodePortRatio)}`);

    // ---- naive: the same rules one `iptables -A` at a time, into the loaded table (sample, extrapolated)
    const step = Math.max(1, Math.floor(rules.length / sampleSize));
    const sample = rules.filter((_, i) => i % step === 0).slice(0, sampleSize);
    let done = 0;
    const tNaive = performance.now();
    for (let i = 0; i < sample.length && performance.now() - tNaive < NAIVE_BUDGET_MS; i += 25) {
      const file = join(tmp, `batch-${i}.sh`);
      writeFileSync(file, sample.slice(i, i + 25).map((r) => `iptables-${backend} -w 5 -t ${r.table} ${r.rule}\n`).join(''));
      await run('ip', ['netns', 'exec', ns.node, 'sh', '-e', file], { timeout: 60_000 });
      done += Math.min(25, sample.length - i);
    }
    const naiveMs = performance.now() - tNaive;
    const perRule = naiveMs / Math.max(1, done);
    const extrapolated = perRule * rules.length;
    log(`naive, one \`iptables -A\` per rule (loop inside the netns, loaded table): ${done} sampled rules in ${fmtMs(naiveMs)} ms = ${fmtMs(perRule)} ms/rule → ~${(extrapolated / 1000).toFixed(1)} s for all ${fmtRate(rules.length)} rules (${(extrapolated / full.elapsedMs).toFixed(0)}× the full sync)`);
    proxier.close();
    await ipt.cleanup();
  } catch (err) {
    failures.push(err instanceof Error ? err.message : String(err));
  } finally {
    await ns.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return exitCodeFor(failures, log);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => { console.error(err); process.exit(1); });
}
