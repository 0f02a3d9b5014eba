/**
 * Issue 10 items 4 and 8 against the real `tinykube server` over HTTPS: work per request is
 * bounded and wrongly typed fields are refused at decode time. Each refusal carries upstream's
 * Status, changes nothing in the store, and the server keeps serving. The credential is the one
 * every joined machine holds: a node's client certificate (a node may patch its own Node).
 *
 * - a 2 KB JSON patch that copies the Node's annotations into themselves 25 times (each copy
 *   doubles the object: ~100 MB of annotations unbounded) is a 422;
 * - JSON and YAML nested 2,000 deep are a 400, not a 500;
 * - a node may hold --max-watches-per-user watches; one more is a 429 with Retry-After, and a
 *   slot comes back when a watch ends; the admin (system:masters) is not capped;
 * - an object as a node address, a number as an annotation value are refused with the wording of
 *   upstream's decoder, through the API and through kubectl.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueClientCert } from '../../control/pki/issue-cert.js';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { rawHttps } from '../helpers/raw-https.js';
import type { Answer, Credential } from '../helpers/raw-https.js';


const NODE = 'sec-limits-n1';
const NS = 'sec-limits';
const WATCHES_PER_USER = 3;
const ANNOTATIONS = { 'sec-limits/a': 'x'.repeat(100) };

function send(cp: TestControlPlane, who: Credential, method: string, path: string, body?: string, contentType?: string): Promise<Answer> {
  return rawHttps(cp, who, { method, path, body, contentType, timeoutMs: 60_000 });
}

/** A watch held open: its status and headers once they arrive, the body when it is refused. */
interface OpenWatch { status: number; headers: IncomingMessage['headers']; body: string; close(): void }

function openWatch(cp: TestControlPlane, who: Credential, path: string): Promise<OpenWatch> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (who.token) headers['Authorization'] = `Bearer ${who.token}`;
    const req: ClientRequest = request({ host: '127.0.0.1', port: cp.port, method: 'GET', path, ca: cp.caCert, cert: who.cert, key: who.key, headers, agent: false }, (res) => {
      const close = () => { req.destroy(); };
      if (res.statusCode === 200) { res.resume(); resolve({ status: 200, headers: res.headers, body: '', close }); return; }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), close }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => { if (err.code !== 'ECONNRESET') reject(err); });
    req.end();
  });
}

describe('security: bounded work per request and decode-time types', () => {
  const cp = new TestControlPlane({ extraArgs: ['--max-watches-per-user', String(WATCHES_PER_USER)] });
  let admin: Credential;
  let node: Credential;
  const asAdmin = async (method: string, path: string, body?: unknown) => {
    const r = await send(cp, admin, method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json');
    expect(r.status, `${method} ${path}: ${r.body}`).toBeLessThan(300);
    return JSON.parse(r.body) as { metadata: { resourceVersion: string; annotations?: Record<string, string> }; status?: Record<string, unknown> };
  };
  /** Nothing was stored under this configmap name. */
  const absent = async (name: string) => { expect((await send(cp, admin, 'GET', `/api/v1/namespaces/${NS}/configmaps/${name}`)).status).toBe(404); };
  const stillServing = async () => {
    expect((await send(cp, admin, 'GET', '/readyz')).status).toBe(200);
    expect((await asAdmin('GET', `/api/v1/nodes/${NODE}`)).metadata.annotations).toEqual(ANNOTATIONS);
  };

  beforeAll(async () => {
    await cp.start();
    admin = { token: cp.token };
    const pki = cp.pkiDir;
    const pair = await issueClientCert({ caCertPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), caKeyPem: readFileSync(join(pki, 'ca.key'), 'utf8') },
      { commonName: `system:node:${NODE}`, organizations: ['system:nodes'] });
    node = { cert: pair.certPem, key: pair.keyPem };
    await asAdmin('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE, annotations: ANNOTATIONS } });
    await asAdmin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterAll(async () => { await cp.destroy(); });

  it('the repro: a 2 KB JSON patch doubling its own Node 25 times is a 422, sent by the node, and nothing changes', async () => {
    const ops = Array.from({ length: 25 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` }));
    const body = JSON.stringify(ops);
    expect(body.length).toBeLessThan(2500);
    const r = await send(cp, node, 'PATCH', `/api/v1/nodes/${NODE}`, body, 'application/json-patch+json');
    expect(r.status, r.body.slice(0, 300)).toBe(422);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
    await stillServing(); // the annotations are as they were
  });

  it.each([
    // in a free-form field, which reaches every clone and walker: a 500 before the limit
    ['JSON', 'application/json', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","managedFields":[{"manager":"m","operation":"Update",`
      + `"fieldsV1":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}]},"data":{"k":"v"}}`,
      "couldn't get version/kind; json parse error: invalid character '{' exceeded max depth"],
    ['YAML', 'application/yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nx: ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
      'error converting YAML to JSON: yaml: exceeded max depth of 500'],
  ])('%s nested 2,000 deep is a 400, not a 500, and nothing changes', async (_name, contentType, body, message) => {
    const r = await send(cp, admin, 'POST', `/api/v1/namespaces/${NS}/configmaps`, body, contentType);
    expect(r.status, r.body.slice(0, 300)).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest', message });
    await absent('deep');
    await stillServing();
  });

  it('YAML nested just under the limit is parsed, again and again, and the server keeps serving', async () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: near\nx: ${'['.repeat(450)}${']'.repeat(450)}\n`;
    for (let i = 0; i < 3; i++) {
      const r = await send(cp, admin, 'POST', `/api/v1/namespaces/${NS}/configmaps?dryRun=All`, yaml, 'application/yaml');
      expect(r.status, r.body.slice(0, 300)).toBe(201);
    }
    await stillServing();
  });

  it(`a node holds ${WATCHES_PER_USER} watches; one more is a 429 with Retry-After until one ends; the admin is not capped`, async () => {
    const path = `/api/v1/nodes?watch=true&fieldSelector=metadata.name%3D${NODE}`;
    const held: OpenWatch[] = [];
    try {
      for (let i = 0; i < WATCHES_PER_USER; i++) held.push(await openWatch(cp, node, path));
      expect(held.map((w) => w.status)).toEqual(Array(WATCHES_PER_USER).fill(200));
      const refused = await openWatch(cp, node, path);
      expect(refused.status, refused.body).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(JSON.parse(refused.body)).toMatchObject({ kind: 'Status', code: 429, reason: 'TooManyRequests',
        message: 'Too many requests, please try again later.', details: { retryAfterSeconds: 1 } });
      // reads that are not watches are not capped
      expect((await send(cp, node, 'GET', `/api/v1/nodes/${NODE}`)).status).toBe(200);
      for (let i = 0; i < WATCHES_PER_USER + 2; i++) held.push(await openWatch(cp, admin, path));
      expect(held.slice(WATCHES_PER_USER).map((w) => w.status)).toEqual(Array(WATCHES_PER_USER + 2).fill(200));

      held.shift()?.close();
      const again = await eventually(async () => {
        const w = await openWatch(cp, node, path);
        if (w.status !== 200) throw new Error(`still ${w.status}`);
        return w;
      }, { timeoutMs: 10_000, intervalMs: 100 });
      held.push(again);
    } finally {
      for (const w of held) w.close();
    }
  });

  it('an object as its own node address is refused with the decoder\'s words, and nothing changes', async () => {
    const before = await asAdmin('GET', `/api/v1/nodes/${NODE}`);
    const patch = JSON.stringify({ status: { addresses: [{ type: 'InternalIP', address: { ip: '10.0.0.1\n-A INPUT -j ACCEPT' } }] } });
    const r = await send(cp, node, 'PATCH', `/api/v1/nodes/${NODE}/status`, patch, 'application/merge-patch+json');
    expect(r.status, r.body.slice(0, 300)).toBe(422);
    const st = JSON.parse(r.body) as { reason: string; message: string; details: { causes: Array<{ field: string }> } };
    expect(st.reason).toBe('Invalid');
    expect(st.message).toContain('json: cannot unmarshal object into Go struct field NodeAddress.status.addresses.address of type string');
    expect(st.details.causes[0]?.field).toBe('patch');
    const put = await send(cp, node, 'PUT', `/api/v1/nodes/${NODE}/status`, JSON.stringify({ ...before, status: { addresses: [{ type: 'InternalIP', address: 7 }] } }), 'application/json');
    expect(put.status, put.body.slice(0, 300)).toBe(400);
    expect(JSON.parse(put.body)).toMatchObject({ reason: 'BadRequest',
      message: 'Node in version "v1" cannot be handled as a Node: json: cannot unmarshal number into Go struct field NodeAddress.status.addresses.address of type string' });
    expect((await asAdmin('GET', `/api/v1/nodes/${NODE}`)).status?.['addresses']).toEqual(before.status?.['addresses']);
  });

  it('kubectl: a number as an annotation value gets the server\'s 400 in the words of kubectl\'s own Go decoder', async () => {
    const detail = 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string';
    const yaml = cp.manifest('typed.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\n  namespace: ${NS}\n  annotations:\n    replicas: 3\ndata: {k: v}\n`);
    const local = await cp.kubectl(['create', '-f', yaml]);
    expect(local.code).not.toBe(0);
    expect(local.stderr).toContain(detail); // kubectl decodes built-in kinds itself, with Go's encoding/json
    const json = cp.manifest('typed.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed', annotations: { replicas: 3 } }, data: { k: 'v' } }));
    const raw = await cp.kubectl(['create', '--raw', `/api/v1/namespaces/${NS}/configmaps`, '-f', json]);
    expect(raw.code).not.toBe(0);
    expect(raw.stderr).toContain(`ConfigMap in version "v1" cannot be handled as a ConfigMap: ${detail}`);
    await absent('typed');
    await stillServing();
  });
});
