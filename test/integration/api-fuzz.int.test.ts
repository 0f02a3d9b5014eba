/**
 * A seeded fuzzer over request bodies: mutated objects of many kinds and plain garbage, sent as
 * JSON, YAML, protobuf and every patch type (JSON, merge, strategic merge, apply), to create,
 * update and the status, scale, binding and eviction subresources, with matching and mismatched
 * content types, plus fixed cases for huge bodies (413), 10,000-level nesting and alias bombs.
 * Every answer is a 2xx or a well-formed 4xx Status, a refused write changes nothing, and the
 * server stays up. A sample of the same mutations goes through the real `kubectl apply/create -f`.
 *
 * TINYKUBE_FUZZ_SEED and TINYKUBE_FUZZ_CASES replay or widen a run (the seed is printed);
 * TINYKUBE_FUZZ_KUBECTL_CASES sets the kubectl sample; TINYKUBE_FUZZ_VERBOSE=1 prints each kubectl outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { FuzzClient } from '../helpers/api-fuzz/fuzz-client.js';
import { FuzzRunner } from '../helpers/api-fuzz/fuzz-runner.js';
import { FUZZ_NAMESPACE } from '../helpers/api-fuzz/kinds.js';
import { manifestCase } from '../helpers/api-fuzz/manifests.js';
import { specialCases } from '../helpers/api-fuzz/special-cases.js';
import { encodeProtobufBody } from '../../control/apiserver/protobuf/testing/encode-object.js';

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${v}`);
  return n;
};
const SEED = envInt('TINYKUBE_FUZZ_SEED', Math.floor(Math.random() * 2 ** 31));
const CASES = envInt('TINYKUBE_FUZZ_CASES', 1000);
const KUBECTL_CASES = envInt('TINYKUBE_FUZZ_KUBECTL_CASES', 50);

/** Server log lines at error level: a request the error handler had to turn into a 500. */
const serverErrors = (log: string): string[] => log.split('\n').filter((l) => /"level":(50|60)/.test(l));

describe('API fuzzer: request bodies and manifests', () => {
  // a node lifecycle grace longer than the run: the fuzzed nodes are never marked unready under the checks
  const cp = new TestControlPlane({ extraArgs: ['--node-monitor-grace-period', '1h'] });
  let client: FuzzClient;
  let runner: FuzzRunner;

  beforeAll(async () => {
    console.log(`api fuzz: seed ${SEED}, ${CASES} random cases, ${KUBECTL_CASES} kubectl cases (replay: TINYKUBE_FUZZ_SEED=${SEED} TINYKUBE_FUZZ_CASES=${CASES})`);
    await cp.start();
    client = new FuzzClient({ port: cp.port, ca: cp.caCert, token: cp.token });
    runner = new FuzzRunner({ client, seed: SEED, alive: () => cp.proc?.exitCode === null && cp.proc.signalCode === null });
    await runner.setup();
  }, 60_000);
  afterAll(async () => { client?.close(); await cp.destroy(); });

  it('every answer is a 2xx or a well-formed 4xx Status, refused writes change nothing, the server stays up', async () => {
    const collection = `/api/v1/namespaces/${FUZZ_NAMESPACE}/configmaps`;
    const created = await client.send('POST', collection, Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fuzz-cm' }, data: { a: 'b' } })), 'application/json');
    expect(created.status).toBe(201);
    const protobufConfigMap = Buffer.from(encodeProtobufBody('v1', 'ConfigMap', { metadata: { name: 'pb-cm' }, data: { a: 'b' } }));
    const started = Date.now();
    for (const [i, c] of specialCases({ collection, objectPath: `${collection}/fuzz-cm`, protobufConfigMap }).entries()) {
      await runner.check(`fixed case ${i}`, c, `fixed ${c.method}`, c.expect);
    }
    for (let n = 0; n < CASES && runner.report.failures.length < 20; n++) await runner.runCase(n);
    const r = runner.report;
    console.log(`api fuzz: ${r.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}; answers ${JSON.stringify(r.byStatus)}; refusals that a controller's write overlapped: ${r.controllerNoise}`);
    for (const [op, counts] of Object.entries(r.byOp).sort()) console.log(`  ${op}: ${JSON.stringify(counts)}`);
    console.log(`  slowest: ${runner.slowest.map((x) => `${x.ms} ms ${x.what}`).join('\n           ')}`);
    if (r.failures.length > 0) console.log(`api fuzz failures (replay: TINYKUBE_FUZZ_SEED=${SEED}):\n${r.failures.join('\n')}\nserver errors:\n${serverErrors(cp.log).join('\n').slice(0, 5000)}`);
    expect(r.failures).toEqual([]);
    expect(r.cases).toBeGreaterThanOrEqual(Math.min(CASES, 1000));
    expect(await cp.ready()).toBe(true);
    expect(serverErrors(cp.log)).toEqual([]);
  }, 300_000);

  it('kubectl apply/create -f of mutated manifests: success, or a non-zero exit with an error, never a server error', async () => {
    const failures: string[] = [];
    const outcomes: Record<string, number> = {};
    for (let n = 0; n < KUBECTL_CASES; n++) {
      const c = manifestCase(SEED, n);
      const file = cp.manifest(`fuzz-${n}.yaml`, c.yaml);
      const res = await cp.kubectl([c.verb, '-n', c.namespace, '-f', file], { timeoutMs: 30_000 });
      const err = res.stderr.trim();
      const key = res.code === 0 ? 'ok' : `exit ${res.code}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (process.env['TINYKUBE_FUZZ_VERBOSE']) console.log(`kubectl case ${n} ${c.verb} ${c.resource}: ${key} ${err.split('\n')[0]?.slice(0, 200) ?? ''}`);
      const problem = res.code === 0 ? undefined
        : err === '' ? 'failed without a word on stderr'
          : /InternalError|an error on the server|Internal error|\(5\d\d\)|panic|goroutine/i.test(err) ? 'a server error' : undefined;
      if (problem) failures.push(`kubectl case ${n} (seed ${SEED}) ${c.verb} ${c.resource}: ${problem}\n  stderr: ${err.slice(0, 800)}\n  manifest:\n${c.yaml.slice(0, 1500)}`);
    }
    console.log(`api fuzz kubectl: ${KUBECTL_CASES} manifests, seed ${SEED}: ${JSON.stringify(outcomes)}`);
    expect(failures).toEqual([]);
    expect(await cp.ready()).toBe(true);
    expect(serverErrors(cp.log)).toEqual([]);
  }, 300_000);
});
