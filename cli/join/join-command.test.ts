import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJoinArgs } from './join-command.js';

const PIN = `sha256:${'a'.repeat(64)}`;

describe('tinykube join flags', () => {
  it('takes the address with or without https://, kubeadm\'s pin flag too, and passes agent flags on', () => {
    const p = parseJoinArgs(['10.0.0.7:6443', '--token', 'abcdef.0123456789abcdef', '--discovery-token-ca-cert-hash', PIN,
      '--node-name', 'Worker-1', '--node-ip', '10.0.0.8', '--data-dir', '/d', '--runtime-endpoint', 'docker:///x.sock']);
    expect(p).toMatchObject({ server: 'https://10.0.0.7:6443', caCertHashes: [PIN], nodeName: 'worker-1', nodeIP: '10.0.0.8', dataDir: '/d', foreground: false });
    expect(p.agentArgs).toEqual(['--data-dir', '/d', '--node-name', 'worker-1', '--node-ip', '10.0.0.8', '--runtime-endpoint', 'docker:///x.sock', '--network-mode', 'host']);
    expect(parseJoinArgs(['https://h:6443', '--token', 'abcdef.0123456789abcdef', '--ca-cert-hash', PIN, '--network-mode', 'none', '--foreground']))
      .toMatchObject({ foreground: true, agentArgs: expect.arrayContaining(['--network-mode', 'none']) });
  });

  it('keeps the node network and the node API port for down and the port check', () => {
    const base = ['https://h:6443', '--token', 'abcdef.0123456789abcdef', '--ca-cert-hash', PIN];
    expect(parseJoinArgs(base)).toMatchObject({ network: { mode: 'host', bridge: 'tk0' }, nodeApiPort: 10250 });
    expect(parseJoinArgs([...base, '--network-mode', 'none', '--bridge', 'tkj1', '--node-api-port', '17251']))
      .toMatchObject({ network: { mode: 'none', bridge: 'tkj1' }, nodeApiPort: 17251 });
    expect(() => parseJoinArgs([...base, '--bridge', 'a/b'])).toThrow('--bridge: "a/b" is not an interface name');
    expect(() => parseJoinArgs([...base, '--node-api-port', 'x'])).toThrow('--node-api-port: not a port: "x"');
  });

  it('passes --runtime on to the agent, refusing a bad one at once', () => {
    const base = ['https://h:6443', '--token', 'abcdef.0123456789abcdef', '--ca-cert-hash', PIN];
    const p = parseJoinArgs([...base, '--runtime', 'containerd']);
    expect(p.agentArgs).toEqual(expect.arrayContaining(['--runtime', 'containerd']));
    expect(p.runtimeEndpoint).toBe('containerd:///run/containerd/containerd.sock');
    expect(parseJoinArgs(base).runtimeEndpoint).toBe('docker:///var/run/docker.sock');
    expect(() => parseJoinArgs([...base, '--runtime', 'lxc'])).toThrow('--runtime must be docker or containerd, not "lxc"');
    expect(() => parseJoinArgs([...base, '--runtime-endpoint', 'tcp://x:1'])).toThrow(/^invalid --runtime-endpoint: /);
  });

  it('refuses bad input with a one-line usage error', () => {
    const base = ['https://h:6443', '--token', 'abcdef.0123456789abcdef'];
    expect(() => parseJoinArgs([])).toThrow(/join needs the API server address/);
    expect(() => parseJoinArgs(base)).toThrow(/--ca-cert-hash is required/);
    expect(() => parseJoinArgs([...base, '--ca-cert-hash', 'md5:x'])).toThrow(/is not sha256:<64 hex digits>/);
    expect(() => parseJoinArgs(['https://h:6443', '--token', 'nope', '--ca-cert-hash', PIN])).toThrow(/does not match the pattern/);
    expect(() => parseJoinArgs(['http://h:6443', '--token', 'abcdef.0123456789abcdef', '--ca-cert-hash', PIN])).toThrow(/must be https/);
    expect(parseJoinArgs([...base, '--discovery-token-unsafe-skip-ca-verification']).caCertHashes).toEqual([]);
  });

  it('takes the token from --token-file or $TINYKUBE_TOKEN, never echoing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-join-'));
    try {
      const file = join(dir, 'token');
      writeFileSync(file, 'abcdef.0123456789abcdef\n', { mode: 0o600 });
      const base = ['https://h:6443', '--ca-cert-hash', PIN];
      expect(parseJoinArgs([...base, '--token-file', file], {}).token).toBe('abcdef.0123456789abcdef');
      expect(parseJoinArgs(base, { TINYKUBE_TOKEN: 'ghijkl.0123456789abcdef' }).token).toBe('ghijkl.0123456789abcdef');
      expect(parseJoinArgs([...base, '--token', 'abcdef.0123456789abcdef'], { TINYKUBE_TOKEN: 'ghijkl.0123456789abcdef' }).token).toBe('abcdef.0123456789abcdef');
      expect(() => parseJoinArgs(base, {})).toThrow('--token, --token-file or $TINYKUBE_TOKEN is required');
      expect(() => parseJoinArgs([...base, '--token', 'abcdef.0123456789abcdef', '--token-file', file], {})).toThrow('mutually exclusive');
      expect(() => parseJoinArgs([...base, '--token-file', join(dir, 'absent')], {})).toThrow(/--token-file: .*ENOENT/);
      expect(() => parseJoinArgs(base, { TINYKUBE_TOKEN: 'secret-but-wrong' })).toThrow(/^\$TINYKUBE_TOKEN: the bootstrap token does not match/);
      expect(() => parseJoinArgs(base, { TINYKUBE_TOKEN: 'secret-but-wrong' })).not.toThrow(/secret-but-wrong/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
