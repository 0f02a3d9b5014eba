/**
 * ServiceAccount tokens end to end with the real kubectl against a real server started with
 * --legacy-service-account-token-secrets: `kubectl create token` authenticates (and a TokenReview
 * by the admin names the user and groups), a pod-bound token dies with its pod, expired and
 * wrong-audience tokens get 401, token Secrets are filled and work (also the auto-generated one in
 * the SA's .secrets), deleting the ServiceAccount invalidates its tokens, and OIDC discovery
 * serves the key that verifies them. No agent: the pod need not run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundClaims } from '../../control/apiserver/serviceaccount/claims.js';
import { signJwt } from '../../control/pki/jwt.js';
import { serviceAccountKeyFromPem } from '../../control/pki/service-account-key.js';
import { TestControlPlane } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { rawRequest } from '../helpers/https-client.js';

const NS = 'tk-sa-tokens';
const ISS = 'https://kubernetes.default.svc.cluster.local';

describe('ServiceAccount tokens with kubectl', () => {
  const cp = new TestControlPlane({ extraArgs: ['--legacy-service-account-token-secrets'] });
  /** `kubectl get --raw /version` with only this bearer token (the admin kubeconfig's token overridden). */
  const version = (token: string): Promise<Run> => cp.kubectl(['--token', token, 'get', '--raw', '/version']);
  const works = async (token: string) => { const r = await version(token); expect(r.code, r.stderr).toBe(0); expect(r.stdout).toContain('"major":"1"'); };
  const refused = async (token: string) => { const r = await version(token); expect(r.code).not.toBe(0); expect(r.stderr).toContain('Unauthorized'); };
  const review = async (token: string, audiences?: string[]) => {
    const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } };
    // raw, as the admin: kubectl create -f validates client-side against /openapi/v2 for kinds without PATCH
    const r = await rawRequest({ url: cp.url, token: cp.token, ca: cp.caCert, method: 'POST', path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect(r.status, r.body).toBe(201);
    return r.json() as { status: { authenticated?: boolean; audiences?: string[]; error?: string;
      user: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } } };
  };
  const createToken = async (...args: string[]) => (await cp.k('create', 'token', '-n', NS, ...args)).trim();
  const saUid = async (name: string) => (await cp.k('get', 'sa', name, '-n', NS, '-o', 'jsonpath={.metadata.uid}')).trim();

  beforeAll(async () => {
    await cp.start();
    await cp.k('create', 'namespace', NS);
    await cp.k('create', 'serviceaccount', 'robot', '-n', NS);
  }, 60_000);
  afterAll(async () => { await cp.destroy(); });

  it('kubectl create token authenticates, and a TokenReview by the admin names the ServiceAccount', async () => {
    const token = await createToken('robot');
    await works(token);
    await refused(`${token.slice(0, -4)}AAAA`); // a broken signature
    const r = await review(token);
    expect(r.status).toMatchObject({
      authenticated: true, audiences: [ISS],
      user: { username: `system:serviceaccount:${NS}:robot`, uid: await saUid('robot'), groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'] },
    });
    expect(r.status.user.extra?.['authentication.kubernetes.io/credential-id']?.[0]).toMatch(/^JTI=/);
    const short = await cp.kubectl(['create', 'token', 'robot', '-n', NS, '--duration', '5m']);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes');
  });

  it('a wrong-audience or expired token gets 401; the audience it was made for accepts it in a TokenReview', async () => {
    const vault = await createToken('robot', '--audience', 'vault');
    await refused(vault);
    expect((await review(vault, ['vault'])).status).toMatchObject({ authenticated: true, audiences: ['vault'] });
    expect((await review(vault)).status.error).toContain('token audiences ["vault"] is invalid for the target audiences');
    // signed with the server's own key (sa.key in its PKI): only the times differ
    const key = serviceAccountKeyFromPem(readFileSync(join(cp.pkiDir, 'sa.key'), 'utf8'));
    const uid = await saUid('robot');
    const at = (now: number) => signJwt(boundClaims({
      namespace: NS, serviceAccount: { name: 'robot', uid }, audiences: [ISS], now, expirationSeconds: 3600, jti: 'e2e',
    }), key);
    const now = Math.floor(Date.now() / 1000);
    await works(at(now));
    await refused(at(now - 3600 - 120));
  });

  it('a token bound to a pod works until the pod is deleted', async () => {
    await cp.k('run', 'bound', '-n', NS, '--image', 'tinykube/busybox:1', '--overrides', '{"spec":{"serviceAccountName":"robot"}}', '--command', '--', 'sleep', '3600');
    const token = await createToken('robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'bound');
    await works(token);
    const extra = (await review(token)).status.user.extra ?? {};
    expect(extra['authentication.kubernetes.io/pod-name']).toEqual(['bound']);
    expect(extra['authentication.kubernetes.io/pod-uid']).toEqual([(await cp.k('get', 'pod', 'bound', '-n', NS, '-o', 'jsonpath={.metadata.uid}')).trim()]);
    await cp.k('delete', 'pod', 'bound', '-n', NS, '--wait=false');
    await eventually(() => refused(token), { timeoutMs: 15_000, intervalMs: 200 });
  });

  it('a token Secret is filled and works; every ServiceAccount gets one in .secrets; deleting the ServiceAccount ends all its tokens', async () => {
    await cp.k('create', 'serviceaccount', 'doomed', '-n', NS);
    const manifest = cp.manifest('secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: doomed-manual\n  namespace: ${NS}\n  annotations: {kubernetes.io/service-account.name: doomed}\ntype: kubernetes.io/service-account-token\n`);
    await cp.k('apply', '-f', manifest);
    const secretToken = (name: string) => eventually(async () => {
      const b64 = (await cp.k('get', 'secret', name, '-n', NS, '-o', 'jsonpath={.data.token}')).trim();
      expect(b64).not.toBe('');
      return Buffer.from(b64, 'base64').toString();
    }, { timeoutMs: 10_000, intervalMs: 100 });
    const manual = await secretToken('doomed-manual');
    expect(Buffer.from((await cp.k('get', 'secret', 'doomed-manual', '-n', NS, '-o', 'jsonpath={.data.ca\\.crt}')).trim(), 'base64').toString()).toBe(cp.caCert);
    await works(manual);
    const generated = await eventually(async () => {
      const name = (await cp.k('get', 'sa', 'doomed', '-n', NS, '-o', 'jsonpath={.secrets[0].name}')).trim();
      expect(name).toMatch(/^doomed-token-[a-z0-9]{5}$/);
      return name;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    const auto = await secretToken(generated);
    await works(auto);
    expect((await review(auto)).status.user.username).toBe(`system:serviceaccount:${NS}:doomed`);
    const bound = await createToken('doomed');
    await works(bound);
    await cp.k('delete', 'serviceaccount', 'doomed', '-n', NS);
    for (const t of [manual, auto, bound]) await eventually(() => refused(t), { timeoutMs: 15_000, intervalMs: 200 });
    await eventually(async () => { expect((await cp.kubectl(['get', 'secret', 'doomed-manual', '-n', NS])).stderr).toContain('NotFound'); }, { timeoutMs: 10_000, intervalMs: 200 });
  });

  it('OIDC discovery names the issuer and serves the key the tokens verify with', async () => {
    const conf = JSON.parse(await cp.k('get', '--raw', '/.well-known/openid-configuration')) as Record<string, unknown>;
    expect(conf).toEqual({
      issuer: ISS, jwks_uri: `https://127.0.0.1:${cp.port}/openid/v1/jwks`, response_types_supported: ['id_token'],
      subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    });
    const { keys } = JSON.parse(await cp.k('get', '--raw', '/openid/v1/jwks')) as { keys: { kid: string }[] };
    const token = await createToken('robot');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
    expect(keys.map((k) => k.kid)).toEqual([header.kid]);
    // readable by ServiceAccounts (system:service-account-issuer-discovery)
    expect(JSON.parse(await cp.k('--token', token, 'get', '--raw', '/openid/v1/jwks'))).toEqual({ keys });
  });
});
