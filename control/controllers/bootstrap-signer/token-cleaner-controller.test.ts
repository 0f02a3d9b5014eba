import { afterEach, describe, expect, it } from 'vitest';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { buildTokenSecret } from '../../bootstrap-token/token-secret.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { createTokenCleanerController } from './token-cleaner-controller.js';

const SECRETS = findResource('', 'v1', 'secrets')!;

const tokenSecret = (id: string, expires?: Date) =>
  buildTokenSecret({ token: { id, secret: `${id}0123456789` }, usages: ['authentication'], groups: [], ...(expires ? { expires } : {}) });

describe('TokenCleanerController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });
  const exists = (ns: string, name: string) => env.client.get(SECRETS, ns, name).then(() => true, (e: unknown) => {
    if (isApiError(e) && e.code === 404) return false;
    throw e;
  });

  it('deletes expired tokens, later ones when they expire, and leaves the rest alone', async () => {
    env = await startControllerEnv({ gc: false });
    await env.client.create(SECRETS, 'kube-system', tokenSecret('expird', new Date(Date.now() - 1000)));
    await env.client.create(SECRETS, 'kube-system', tokenSecret('soonxx', new Date(Date.now() + 2500)));
    await env.client.create(SECRETS, 'kube-system', tokenSecret('foreva'));
    await env.client.create(SECRETS, 'kube-system', { ...tokenSecret('badexp'), stringData: { expiration: 'someday' } });
    await env.client.create(SECRETS, 'kube-system', { ...tokenSecret('opaque', new Date(Date.now() - 1000)), type: 'Opaque' });
    env.start(createTokenCleanerController(env.ctx));
    await eventually(async () => {
      expect(await exists('kube-system', 'bootstrap-token-expird')).toBe(false);
      expect(await exists('kube-system', 'bootstrap-token-badexp')).toBe(false);
    });
    expect(await exists('kube-system', 'bootstrap-token-soonxx')).toBe(true);
    await eventually(async () => { expect(await exists('kube-system', 'bootstrap-token-soonxx')).toBe(false); }, { timeoutMs: 5000 });
    expect(await exists('kube-system', 'bootstrap-token-foreva')).toBe(true);
    expect(await exists('kube-system', 'bootstrap-token-opaque')).toBe(true);
  });
});
