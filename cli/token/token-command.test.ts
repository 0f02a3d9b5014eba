import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testStreams } from '../testing/test-streams.js';
import { startTestServer } from '../../control/apiserver/testing/test-server.js';
import type { TestServer } from '../../control/apiserver/testing/test-server.js';
import { renderClusterInfoKubeconfig } from '../../control/bootstrap-token/cluster-info.js';
import { RestClient } from '../../control/client/rest-client.js';
import { InjectTransport } from '../../control/client/transport.js';
import type { Injectable } from '../../control/client/transport.js';
import { caCertHash } from '../../control/pki/ca-cert-hash.js';
import { createCa } from '../../control/pki/create-ca.js';
import { FakeClock } from '../../control/util/clock.js';
import { UsageError } from '../flags.js';
import { tokenCommand } from './token-command.js';
import type { TokenCommandDeps } from './token-command.js';



describe('tinykube token', () => {
  let server: TestServer;
  let deps: TokenCommandDeps;
  let CA: string;
  let clock: FakeClock;
  beforeEach(async () => {
    CA = (await createCa()).certPem;
    clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    server = await startTestServer();
    const client = new RestClient(new InjectTransport(server.app as unknown as Injectable));
    deps = { env: {}, clock, connect: async () => ({ client, server: 'https://127.0.0.1:6443', caCertPem: CA, close: () => undefined }) };
  });
  afterEach(async () => { await server.close(); });

  const run = async (...argv: string[]) => {
    const s = testStreams();
    const code = await tokenCommand(argv, s.streams, deps);
    return { code, out: s.out(), err: s.err() };
  };

  it('create prints the token; list shows it; delete removes it', async () => {
    const created = await run('create', '--description', 'node two');
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const id = token.slice(0, 6);
    const secret = await server.request('GET', `/api/v1/namespaces/kube-system/secrets/bootstrap-token-${id}`);
    expect(secret.body['type']).toBe('bootstrap.kubernetes.io/token');
    expect(Buffer.from(String((secret.body['data'] as Record<string, string>)['expiration']), 'base64').toString()).toBe('2026-01-02T00:00:00Z');

    await run('create', 'abcdef.0123456789abcdef', '--ttl', '0', '--usages', 'signing');
    clock.advance(1000);
    const list = await run('list');
    const lines = list.out.trim().split('\n');
    expect(lines[0]).toMatch(/^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${token.replace('.', '\\.')}\\s+23h\\s+2026-01-02T00:00:00Z\\s+authentication,signing\\s+node two\\s+system:bootstrappers:tinykube:default-node-token$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^abcdef\.0123456789abcdef\s+<forever>\s+<never>\s+signing\s+<none>\s+<none>$/));

    expect(await run('delete', id, 'abcdef.0123456789abcdef')).toEqual({ code: 0, out: `bootstrap token "${id}" deleted\nbootstrap token "abcdef" deleted\n`, err: '' });
    expect((await run('list')).out.trim().split('\n')).toHaveLength(1);
  });

  it('--print-join-command prints the join line with the advertised server and the CA hash', async () => {
    const out = (await run('create', 'abcdef.0123456789abcdef', '--print-join-command')).out;
    expect(out).toBe(`tinykube join https://127.0.0.1:6443 --token abcdef.0123456789abcdef --ca-cert-hash ${caCertHash(CA)}\n`);
    await server.request('POST', '/api/v1/namespaces/kube-public/configmaps', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info' }, data: { kubeconfig: renderClusterInfoKubeconfig({ server: 'https://10.0.0.7:6443', caCertPem: CA }) },
    });
    expect((await run('create', '--print-join-command')).out).toMatch(/^tinykube join https:\/\/10\.0\.0\.7:6443 --token /);
  });

  it('fails with one line on an existing token or a missing one; usage errors are UsageError', async () => {
    await run('create', 'abcdef.0123456789abcdef');
    await expect(run('create', 'abcdef.0123456789abcdef')).rejects.toThrow('a token with id "abcdef" already exists');
    await expect(run('delete', 'zzzzzz')).rejects.toThrow(/failed to delete bootstrap token "zzzzzz": secrets "bootstrap-token-zzzzzz" not found/);
    await expect(run('frob')).rejects.toThrow(UsageError);
    await expect(run('delete')).rejects.toThrow(UsageError);
    expect((await run()).code).toBe(2);
  });

  it('list reports malformed token Secrets on stderr and skips them', async () => {
    await server.request('POST', '/api/v1/namespaces/kube-system/secrets', {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bootstrap-token-qqqqqq' }, type: 'bootstrap.kubernetes.io/token', stringData: { 'token-id': 'qqqqqq' },
    });
    const r = await run('list');
    expect(r.err).toContain('bootstrap-token-qqqqqq has no valid token-secret');
    expect(r.out.trim().split('\n')).toHaveLength(1);
  });
});
