import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensurePki } from '../../control/pki/ensure-pki.js';
import { renderKubeconfig } from '../../control/pki/kubeconfig.js';
import { FakeClock } from '../../control/util/clock.js';
import { UsageError } from '../flags.js';
import { testStreams } from '../testing/test-streams.js';
import { kubeconfigCommand } from './kubeconfig-command.js';

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: Record<string, string> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

describe('tinykube kubeconfig user', () => {
  let dir = '';
  let caCertPem = '';
  const clock = new FakeClock(Date.UTC(2026, 11, 5, 9, 0, 0));
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tk-kubeconfig-user-'));
    caCertPem = (await ensurePki({ dir: join(dir, 'pki'), hosts: ['127.0.0.1'] })).caCertPem;
    await writeFile(join(dir, 'admin.kubeconfig'), renderKubeconfig({ server: 'https://127.0.0.1:6443', caCertPem, user: 'kubernetes-admin', token: 't' }));
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  const run = async (argv: string[]): Promise<{ code: number; cfg: Kubeconfig; cert: X509Certificate }> => {
    const { streams, out } = testStreams();
    const code = await kubeconfigCommand(argv, streams, { clock });
    const cfg = parse(out()) as Kubeconfig;
    return { code, cfg, cert: new X509Certificate(unb64(cfg.users[0]?.user['client-certificate-data'])) };
  };

  it('prints a client-certificate kubeconfig: CN = name, one O per group, signed by the cluster CA, valid a year', async () => {
    const { code, cfg, cert } = await run(['user', '--name', 'jane', '--group', 'dev', '--group', 'ops', '--data-dir', dir]);
    expect(code).toBe(0);
    expect(cfg.clusters).toEqual([{ name: 'tinykube', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(caCertPem).toString('base64') } }]);
    expect(cfg.users.map((u) => u.name)).toEqual(['jane']);
    expect(cfg.contexts).toEqual([{ name: 'jane@tinykube', context: { cluster: 'tinykube', user: 'jane' } }]);
    expect(cfg['current-context']).toBe('jane@tinykube');
    expect(cert.subject).toBe('O=dev\nO=ops\nCN=jane');
    expect(cert.verify(new X509Certificate(caCertPem).publicKey)).toBe(true);
    expect(new Date(cert.validTo).getTime()).toBe(clock.now().getTime() + 365 * 24 * 3600_000);
    expect(cert.checkPrivateKey(createPrivateKey(unb64(cfg.users[0]?.user['client-key-data'])))).toBe(true);
  });

  it('honours --ttl and --server', async () => {
    const { cfg, cert } = await run(['user', '--name=bob', '--ttl', '2h', '--server', 'https://10.1.2.3:7443', '--data-dir', dir]);
    expect(cfg.clusters[0]?.cluster.server).toBe('https://10.1.2.3:7443');
    expect(cert.subject).toBe('CN=bob');
    expect(new Date(cert.validTo).getTime()).toBe(clock.now().getTime() + 2 * 3600_000);
  });

  it('says what is missing when the data dir has no CA', async () => {
    const { streams } = testStreams();
    await expect(kubeconfigCommand(['user', '--name', 'x', '--data-dir', join(dir, 'nope'), '--server', 'https://h:6443'], streams))
      .rejects.toThrow(`read the cluster CA in ${join(dir, 'nope', 'pki')}`);
  });

  it('prints its usage without a subcommand and refuses unknown ones', async () => {
    const { streams, out } = testStreams();
    expect(await kubeconfigCommand([], streams)).toBe(2);
    expect(out()).toContain('kubeconfig user --name N [--group G]...');
    await expect(kubeconfigCommand(['admin'], streams)).rejects.toThrow(UsageError);
  });
});
