/**
 * Two real `tinykube server`s on one (private) etcd, sharing one PKI and admin token so kubectl
 * trusts both: exactly one holds kube-system/tinykube-controller-manager and runs the controllers; a
 * Deployment created through the follower still gets its ReplicaSet; after kill -9 of the leader the
 * follower takes the lease over (leaseTransitions + 1) within about 20 s and its controllers act.
 * Skips only without Debian's etcd binary.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { ETCD_BINARY, PrivateEtcd } from '../helpers/private-etcd.js';
import { etcdServerFlags } from '../helpers/etcd-tls.js';

const PREFIX = `/tk-le-${randomBytes(6).toString('hex')}`;
const skipReason = existsSync(ETCD_BINARY) ? undefined : `no ${ETCD_BINARY} (apt-get install etcd-server; scripts/test does)`;
if (skipReason !== undefined) console.warn(`leader-election.e2e.test.ts skipped: ${skipReason}`);

const LEASE = ['get', 'lease', '-n', 'kube-system', 'tinykube-controller-manager', '-o', 'jsonpath={.spec.holderIdentity} {.spec.leaseTransitions}'];

/** The identity this server logged on becoming leader, if it did. */
function leaderIdentity(cp: TestControlPlane): string | undefined {
  for (const line of cp.log.split('\n')) {
    if (!line.includes('became leader')) continue;
    try { return (JSON.parse(line) as { identity?: string }).identity; } catch { /* not a JSON log line */ }
  }
  return undefined;
}

async function holder(cp: TestControlPlane): Promise<{ identity: string; transitions: number }> {
  const [identity = '', transitions = '0'] = (await cp.k(...LEASE)).trim().split(' ');
  return { identity, transitions: Number(transitions || '0') };
}

async function expectReplicaSet(cp: TestControlPlane, deployment: string): Promise<void> {
  await eventually(async () => {
    const out = await cp.k('get', 'replicasets', '-l', `app=${deployment}`, '-o', 'name');
    expect(out).toMatch(new RegExp(`replicaset.apps/${deployment}-`));
  }, { timeoutMs: 20_000, intervalMs: 300 });
}

describe.skipIf(skipReason !== undefined)('leader election between two servers on one etcd', () => {
  const etcd = new PrivateEtcd();
  const store = (): string => `etcd://${etcd.endpoint}?prefix=${PREFIX}`;
  let a: TestControlPlane;
  let b: TestControlPlane;
  beforeAll(async () => {
    await etcd.start();
    a = new TestControlPlane({ store: store(), logLevel: 'info', extraArgs: etcdServerFlags(etcd.pki) });
    await a.start();
    b = new TestControlPlane({ store: store(), logLevel: 'info', extraArgs: etcdServerFlags(etcd.pki) });
    cpSync(a.pkiDir, b.pkiDir, { recursive: true });
    cpSync(join(a.dataDir, 'admin.token'), join(b.dataDir, 'admin.token'));
    await b.start();
  }, 90_000);
  afterAll(async () => {
    await a?.destroy();
    await b?.destroy();
    await etcd.destroy();
  });

  it('elects exactly one leader, whose controllers serve objects created through the follower, and fails over on kill -9', async () => {
    const first = await eventually(async () => {
      const h = await holder(b);
      expect(h.identity).not.toBe('');
      return h;
    }, { timeoutMs: 20_000, intervalMs: 300 });
    const [leader, follower] = leaderIdentity(a) === first.identity ? [a, b] : [b, a];
    expect(leaderIdentity(leader)).toBe(first.identity);
    expect(leaderIdentity(follower)).toBeUndefined();
    expect(await holder(a)).toEqual(first); // both servers read the same lease

    await follower.k('create', 'deployment', 'one', '--image=tinykube/web:1');
    await expectReplicaSet(follower, 'one');

    await leader.kill9();
    const killedAt = Date.now();
    const next = await eventually(async () => {
      const h = await holder(follower);
      expect(h.identity).not.toBe(first.identity);
      expect(h.identity).not.toBe('');
      return h;
    }, { timeoutMs: 25_000, intervalMs: 500 });
    expect(Date.now() - killedAt).toBeLessThan(25_000);
    expect(next.transitions).toBe(first.transitions + 1);
    expect(leaderIdentity(follower)).toBe(next.identity);

    await follower.k('create', 'deployment', 'two', '--image=tinykube/web:1');
    await expectReplicaSet(follower, 'two');
  }, 90_000);
});
