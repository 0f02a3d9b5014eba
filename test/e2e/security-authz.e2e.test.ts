/**
 * Issue 10 item 1 against the real `tinykube server` over HTTPS: the credentials every joined
 * machine holds (a bootstrap token, a node's client certificate) get nothing by spelling a path
 * differently. Each request is sent with Node's https.request and a raw `path`, so nothing
 * normalises it on the way (curl --path-as-is). The authorizer must decide on exactly the request
 * the router serves: no spelling of a forbidden read answers 2xx or leaks the secret, no spelling
 * of a forbidden write answers 2xx or changes the store, and the legitimate requests still work.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr } from '../../control/pki/create-csr.js';
import { issueClientCert } from '../../control/pki/issue-cert.js';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { rawHttps } from '../helpers/raw-https.js';
import type { Answer, Credential } from '../helpers/raw-https.js';
import { pathSpellings } from '../helpers/path-spellings.js';


const NS = 'sec-authz';
const OWN = 'sec-authz-n1';
const OTHER = 'sec-authz-n2';
/** A value that must never appear in an answer to the bootstrap token or the node. */
const MARKER = 'tinykube-sec-authz-marker';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const hostPathPod = (name: string) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { generateName: name },
  spec: { nodeName: OTHER, containers: [{ name: 'c', image: 'tinykube/busybox:1' }], volumes: [{ name: 'root', hostPath: { path: '/' } }] },
});

/** Forbidden to both credentials (method, canonical segments, body). */
const TARGETS: { what: string; method: string; segments: string[]; body?: string; contentType?: string }[] = [
  { what: 'list kube-system secrets', method: 'GET', segments: ['api', 'v1', 'namespaces', 'kube-system', 'secrets'] },
  { what: 'get a kube-system secret', method: 'GET', segments: ['api', 'v1', 'namespaces', 'kube-system', 'secrets', 'top'] },
  { what: 'get an unreferenced secret', method: 'GET', segments: ['api', 'v1', 'namespaces', NS, 'secrets', 'other'] },
  { what: 'list configmaps', method: 'GET', segments: ['api', 'v1', 'namespaces', 'kube-system', 'configmaps'] },
  { what: 'get an unreferenced configmap', method: 'GET', segments: ['api', 'v1', 'namespaces', 'kube-system', 'configmaps', 'private'] },
  { what: 'create a hostPath pod', method: 'POST', segments: ['api', 'v1', 'namespaces', NS, 'pods'], body: hostPathPod('escape-'), contentType: 'application/json' },
  { what: "patch another node", method: 'PATCH', segments: ['api', 'v1', 'nodes', OTHER], body: JSON.stringify({ metadata: { labels: { owned: 'yes' } } }), contentType: 'application/merge-patch+json' },
];

function send(cp: TestControlPlane, who: Credential, method: string, path: string, body?: string, contentType?: string): Promise<Answer> {
  return rawHttps(cp, who, { method, path, body, contentType, timeoutMs: 10_000, resetIsAnswer: true });
}

describe('security: authorization decides on the request the router serves', () => {
  const cp = new TestControlPlane();
  const creds: Record<'bootstrap' | 'node', Credential> = { bootstrap: {}, node: {} };
  let admin: Credential;
  let bootstrapUser = '';
  const asAdmin = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const r = await send(cp, admin, method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
    expect(r.status, `${method} ${path}: ${r.body}`).toBeLessThan(300);
    return JSON.parse(r.body) as Record<string, unknown> & { metadata: { resourceVersion: string; labels?: Record<string, string> }; items?: { metadata: { name: string } }[] };
  };

  beforeAll(async () => {
    await cp.start();
    admin = { token: cp.token };
    const token = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [CLI, 'token', 'create', '--kubeconfig', cp.kubeconfig], { timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
    });
    creds.bootstrap = { token };
    bootstrapUser = `system:bootstrap:${token.split('.')[0]}`;
    const pki = cp.pkiDir;
    const pair = await issueClientCert({ caCertPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), caKeyPem: readFileSync(join(pki, 'ca.key'), 'utf8') },
      { commonName: `system:node:${OWN}`, organizations: ['system:nodes'] });
    creds.node = { cert: pair.certPem, key: pair.keyPem };

    await asAdmin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (const n of [OWN, OTHER]) await asAdmin('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
    await asAdmin('POST', '/api/v1/namespaces/kube-system/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'top' }, data: { k: b64(MARKER) } });
    await asAdmin('POST', '/api/v1/namespaces/kube-system/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'private' }, data: { k: MARKER } });
    for (const s of ['mine', 'other']) await asAdmin('POST', `/api/v1/namespaces/${NS}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: s }, data: { k: b64(s === 'other' ? MARKER : 'mine') } });
    // a pod bound to the node that refers to secret "mine": the one secret the node may read
    await asAdmin('POST', `/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound' },
      spec: { nodeName: OWN, containers: [{ name: 'c', image: 'tinykube/busybox:1' }], volumes: [{ name: 's', secret: { secretName: 'mine' } }] } });
    await eventually(async () => { expect((await send(cp, creds.bootstrap, 'GET', '/api')).status).toBe(200); }, { timeoutMs: 10_000, intervalMs: 100 });
  });
  afterAll(async () => { await cp.destroy(); });

  it('the repro: an encoded-slash list of kube-system secrets is refused with upstream wording', async () => {
    const path = '/api/v1/namespaces%2Fkube-system%2Fsecrets';
    const r = await send(cp, creds.bootstrap, 'GET', path);
    expect(r.status, r.body).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: `forbidden: User "${bootstrapUser}" cannot get path "${path}"` });
    const pod = await send(cp, creds.bootstrap, 'POST', `/api/v1/namespaces%2F${NS}%2Fpods`, hostPathPod('repro-'), 'application/json');
    expect(pod.status, pod.body).toBe(403);
    // an admin is served nothing at such a path either: the router does not read %2F as a separator
    expect((await send(cp, admin, 'GET', path)).status).toBe(404);
  });

  it.each(['bootstrap', 'node'] as const)('no spelling of a forbidden request gets through for the %s credential', async (who) => {
    const pods = await asAdmin('GET', `/api/v1/namespaces/${NS}/pods`);
    const other = await asAdmin('GET', `/api/v1/nodes/${OTHER}`);
    let tried = 0;
    const leaks: string[] = [];
    for (const t of TARGETS) {
      for (const path of pathSpellings(t.segments)) {
        const r = await send(cp, creds[who], t.method, path, t.body, t.contentType);
        tried++;
        if ((r.status >= 200 && r.status < 300) || r.body.includes(MARKER) || r.body.includes(b64(MARKER))) leaks.push(`${t.method} ${path} -> ${r.status} ${r.body.slice(0, 120)}`);
      }
    }
    expect(tried).toBeGreaterThanOrEqual(200);
    expect(leaks, `${who}: ${leaks.length} of ${tried} spellings got through`).toEqual([]);
    // the writes changed nothing
    const podsAfter = await asAdmin('GET', `/api/v1/namespaces/${NS}/pods`);
    expect(podsAfter.items?.map((p) => p.metadata.name)).toEqual(pods.items?.map((p) => p.metadata.name));
    const otherAfter = await asAdmin('GET', `/api/v1/nodes/${OTHER}`);
    expect(otherAfter.metadata.resourceVersion).toBe(other.metadata.resourceVersion);
    expect(otherAfter.metadata.labels?.['owned']).toBeUndefined();
  }, 240_000);

  it('a bootstrap token still creates and reads its CSR and reads discovery; anyone reads cluster-info', async () => {
    const { csrPem } = await createCsr({ commonName: 'system:node:sec-authz-joiner', organizations: ['system:nodes'] });
    const csr = JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'sec-authz-csr' },
      spec: { request: b64(csrPem), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] } });
    const base = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
    const created = await send(cp, creds.bootstrap, 'POST', base, csr, 'application/json');
    expect(created.status, created.body).toBe(201);
    for (const path of [`${base}/sec-authz-csr`, `${base}/sec-authz-csr/`, `/apis/certificates.k8s.io/v1/%63ertificatesigningrequests/sec-authz-csr`, `${base}?fieldSelector=metadata.name%3Dsec-authz-csr`]) {
      const r = await send(cp, creds.bootstrap, 'GET', path);
      expect(r.status, `${path}: ${r.body}`).toBe(200);
      expect(r.body).toContain('sec-authz-csr');
    }
    for (const path of ['/api', '/apis', '/api/v1', '/apis/certificates.k8s.io/v1', '/version', '/healthz', '/openapi/v3']) {
      expect((await send(cp, creds.bootstrap, 'GET', path)).status, path).toBe(200);
    }
    const info = await send(cp, {}, 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info');
    expect(info.status, info.body).toBe(200);
  });

  it('a node still reads its own Node, the secret its pod refers to, and discovery', async () => {
    for (const path of [`/api/v1/nodes/${OWN}`, `/api/v1/%6Eodes/${OWN}`, `/api/v1/nodes/${OWN}/`]) {
      const r = await send(cp, creds.node, 'GET', path);
      expect(r.status, `${path}: ${r.body}`).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ kind: 'Node', metadata: { name: OWN } });
    }
    for (const path of [`/api/v1/namespaces/${NS}/secrets/mine`, `/api/v1/namespaces/${NS}/%73ecrets/mine`, `/api/v1/namespaces/${NS}/secrets?fieldSelector=metadata.name%3Dmine`]) {
      const r = await send(cp, creds.node, 'GET', path);
      expect(r.status, `${path}: ${r.body}`).toBe(200);
      expect(r.body).toContain(b64('mine'));
    }
    const patched = await send(cp, creds.node, 'PATCH', `/api/v1/nodes/${OWN}`, JSON.stringify({ metadata: { annotations: { 'sec-authz': 'own' } } }), 'application/merge-patch+json');
    expect(patched.status, patched.body).toBe(200);
    for (const path of ['/api', '/apis', '/version', '/healthz']) expect((await send(cp, creds.node, 'GET', path)).status, path).toBe(200);
  });
});
