import { afterEach, describe, expect, it } from 'vitest';
import type { Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { decodeJwt, verifyJwtSignature } from '../../pki/jwt.js';
import { generateServiceAccountKey } from '../../pki/service-account-key.js';
import { createTokensController } from './tokens-controller.js';

const SECRETS = findResource('', 'v1', 'secrets')!;
const SAS = findResource('', 'v1', 'serviceaccounts')!;
const KEY = generateServiceAccountKey();
const CA = '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

const sa = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
const tokenSecret = (name: string, saName: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
  metadata: { name, annotations: { 'kubernetes.io/service-account.name': saName } },
} as KubeObject);

describe('TokensController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });
  const start = async (legacy: boolean) => {
    env = await startControllerEnv({ gc: false, options: { serviceAccountKeyPem: KEY.privateKeyPem, ca: { certPem: CA, keyPem: '' }, legacyServiceAccountTokenSecrets: legacy } });
    env.start(createTokensController(env.ctx));
  };
  const getSecret = (name: string) => env.client.get<Secret & KubeObject>(SECRETS, 'default', name);
  const exists = (name: string) => getSecret(name).then(() => true, (e: unknown) => {
    if (isApiError(e) && e.code === 404) return false;
    throw e;
  });

  it('fills token, ca.crt and namespace into a token Secret and records the SA uid', async () => {
    await start(false);
    const robot = await env.client.create<ServiceAccount & KubeObject>(SAS, 'default', sa('robot'));
    await env.client.create(SECRETS, 'default', tokenSecret('robot-secret', 'robot'));
    await env.client.create(SECRETS, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain' }, data: { a: b64('b') } } as KubeObject);
    const s = await eventually(async () => {
      const got = await getSecret('robot-secret');
      expect(got.data?.['token']).toBeDefined();
      return got;
    });
    expect(unb64(s.data?.['ca.crt'])).toBe(CA);
    expect(unb64(s.data?.['namespace'])).toBe('default');
    expect(s.metadata?.annotations?.['kubernetes.io/service-account.uid']).toBe(robot.metadata?.uid);
    const jwt = decodeJwt(unb64(s.data?.['token']))!;
    verifyJwtSignature(jwt, [KEY]);
    expect(jwt.claims).toEqual({
      iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:default:robot',
      'kubernetes.io/serviceaccount/namespace': 'default', 'kubernetes.io/serviceaccount/secret.name': 'robot-secret',
      'kubernetes.io/serviceaccount/service-account.name': 'robot', 'kubernetes.io/serviceaccount/service-account.uid': robot.metadata?.uid,
    });
    expect((await getSecret('plain')).data).toEqual({ a: b64('b') });
  });

  it('deletes token Secrets of a missing or deleted ServiceAccount', async () => {
    await start(false);
    await env.client.create(SAS, 'default', sa('robot'));
    await env.client.create(SECRETS, 'default', tokenSecret('orphan', 'nobody'));
    await env.client.create(SECRETS, 'default', tokenSecret('robot-secret', 'robot'));
    await eventually(async () => { expect(await exists('orphan')).toBe(false); });
    await eventually(async () => { expect((await getSecret('robot-secret')).data?.['token']).toBeDefined(); });
    await env.client.delete(SAS, 'default', 'robot');
    await eventually(async () => { expect(await exists('robot-secret')).toBe(false); });
  });

  it('with legacy token secrets: every ServiceAccount gets a filled <sa>-token-xxxxx Secret in .secrets, again after it is deleted', async () => {
    await start(true);
    await env.client.create(SAS, 'default', sa('robot'));
    const first = await eventually(async () => {
      const got = await env.client.get<ServiceAccount & KubeObject>(SAS, 'default', 'robot');
      expect(got.secrets).toHaveLength(1);
      return got.secrets![0]!.name!;
    });
    expect(first).toMatch(/^robot-token-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect((await getSecret(first)).data?.['token']).toBeDefined();
    await env.nextReconcile('sa:default/robot', () => env.client.patch(SAS, 'default', 'robot', 'merge', { metadata: { annotations: { poke: '1' } } }));
    expect((await env.client.list(SECRETS, 'default')).items.map((s) => s.metadata?.name)).toEqual([first]); // one, never a second
    expect((await env.client.get<ServiceAccount & KubeObject>(SAS, 'default', 'robot')).secrets).toEqual([{ name: first }]);
    await env.client.delete(SECRETS, 'default', first);
    await eventually(async () => {
      const got = await env.client.get<ServiceAccount & KubeObject>(SAS, 'default', 'robot');
      expect(got.secrets).toHaveLength(1);
      expect(got.secrets![0]!.name).not.toBe(first);
    });
  });

  it('without legacy token secrets: a ServiceAccount gets no Secret', async () => {
    await start(false);
    await env.client.create(SAS, 'default', sa('robot'));
    await env.nextReconcile('sa:default/robot', () => env.client.patch(SAS, 'default', 'robot', 'merge', { metadata: { annotations: { poke: String(Date.now()) } } }));
    expect((await env.client.get<ServiceAccount & KubeObject>(SAS, 'default', 'robot')).secrets).toBeUndefined();
    expect((await env.client.list(SECRETS, 'default')).items).toEqual([]);
  });
});
