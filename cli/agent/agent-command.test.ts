import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../control/util/log.js';
import { agentCommand, parseAgentFlags } from './agent-command.js';

describe('tinykube agent flags', () => {
  let dir = '';
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tk-agent-cli-')); });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads server, CA and token from a kubeconfig; flags override the node', async () => {
    const kc = join(dir, 'kubelet.kubeconfig');
    await writeFile(kc, [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters:', '- name: k', '  cluster:', '    server: https://10.0.0.1:6443', `    certificate-authority-data: ${Buffer.from('CA PEM').toString('base64')}`,
      'users:', '- name: u', '  user:', '    token: abc.def',
      'contexts:', '- name: c', '  context: {cluster: k, user: u}', '',
    ].join('\n'));
    const f = await parseAgentFlags(['--kubeconfig', kc, '--node-name', 'n1', '--node-ip', '10.0.0.5', '--data-dir', '/tmp/x', '--max-backoff', '20s']);
    expect(f.transport).toEqual({ server: 'https://10.0.0.1:6443', caCertPem: 'CA PEM', token: 'abc.def' });
    expect(f).toMatchObject({ nodeName: 'n1', nodeIP: '10.0.0.5', dataDir: '/tmp/x', runtimeEndpoint: 'docker:///var/run/docker.sock', maxBackoffMs: 20_000 });
  });

  it('takes --server/--token/--ca-cert', async () => {
    const ca = join(dir, 'ca.crt');
    await writeFile(ca, 'PEM');
    const f = await parseAgentFlags(['--server=https://h:6443', '--token=t', `--ca-cert=${ca}`]);
    expect(f.transport).toEqual({ server: 'https://h:6443', token: 't', caCertPem: 'PEM' });
  });

  it('--runtime containerd picks containerd\'s socket; --runtime-endpoint wins', async () => {
    const ca = join(dir, 'ca.crt');
    await writeFile(ca, 'PEM');
    const base = ['--server=https://h:6443', '--token=t', `--ca-cert=${ca}`];
    expect((await parseAgentFlags([...base, '--runtime', 'containerd'])).runtimeEndpoint).toBe('containerd:///run/containerd/containerd.sock');
    expect((await parseAgentFlags([...base, '--runtime=docker'])).runtimeEndpoint).toBe('docker:///var/run/docker.sock');
    expect((await parseAgentFlags([...base, '--runtime', 'containerd', '--runtime-endpoint', 'containerd:///tmp/c.sock'])).runtimeEndpoint).toBe('containerd:///tmp/c.sock');
    await expect(parseAgentFlags([...base, '--runtime', 'podman'])).rejects.toThrow('--runtime must be docker or containerd, not "podman"');
  });

  it('--cri-socket: <data-dir>/cri.sock on Docker, none on containerd, "" disables, a path wins', async () => {
    const ca = join(dir, 'ca.crt');
    await writeFile(ca, 'PEM');
    const base = ['--server=https://h:6443', '--token=t', `--ca-cert=${ca}`, '--data-dir', '/var/lib/tk'];
    expect((await parseAgentFlags(base)).criSocket).toBe('/var/lib/tk/cri.sock');
    expect((await parseAgentFlags([...base, '--cri-socket', ''])).criSocket).toBe('');
    expect((await parseAgentFlags([...base, '--runtime', 'containerd'])).criSocket).toBe('');
    expect((await parseAgentFlags([...base, '--runtime', 'containerd', '--cri-socket=/run/x.sock'])).criSocket).toBe('/run/x.sock');
  });

  it('container log rotation: the kubelet\'s 10Mi x 5 every 10s by default; quantities, counts, durations from flags', async () => {
    const ca = join(dir, 'ca.crt');
    await writeFile(ca, 'PEM');
    const base = ['--server=https://h:6443', '--token=t', `--ca-cert=${ca}`];
    const d = await parseAgentFlags(base);
    expect(d.containerLogs).toEqual({ policy: { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5 }, monitorIntervalMs: 10_000 });
    expect(d.imagePullProgressDeadlineMs).toBeUndefined();
    const f = await parseAgentFlags([...base, '--container-log-max-size', '64Ki', '--container-log-max-files', '3',
      '--container-log-monitor-interval', '3s', '--image-pull-progress-deadline', '5s']);
    expect(f.containerLogs).toEqual({ policy: { maxSizeBytes: 65536, maxFiles: 3 }, monitorIntervalMs: 3000 });
    expect(f.imagePullProgressDeadlineMs).toBe(5000);
    for (const [flag, value, why] of [
      ['--container-log-max-files', '1', /greater than 1/], ['--container-log-max-files', 'x', /greater than 1/],
      ['--container-log-max-size', '10Zi', /not a quantity/], ['--container-log-max-size', '0', /positive/],
      ['--container-log-monitor-interval', '1s', /at least 3s/], ['--image-pull-progress-deadline', '0s', /positive/],
    ] as const) {
      await expect(parseAgentFlags([...base, flag, value])).rejects.toThrow(why);
    }
  });

  it.each([[['--bogus']], [['--server', 'https://h:6443']], [['--runtime', 'podman']]])('exits 2 on usage errors: %j', async (argv) => {
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try { expect(await agentCommand(argv, silentLogger())).toBe(2); } finally { process.stderr.write = write; }
  });
});
