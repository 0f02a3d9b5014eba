import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordedNodeNetwork, recordNodeNetwork } from '../node-network-record.js';
import { parseUpFlags } from './up-flags.js';

describe('tinykube up flags', () => {
  it('passes the server flags on and takes the node\'s own', () => {
    const p = parseUpFlags(['--data-dir', '/d', '--listen', '127.0.0.1:16443', '--service-cidr', '10.100.0.0/16', '--node-name', 'n1',
      '--node-ip', '127.0.0.1', '--node-api-port', '17250', '--bridge', 'tkx1', '--network-mode', 'none', '--runtime', 'containerd']);
    expect(p).toMatchObject({
      dataDir: '/d', listenHost: '127.0.0.1', port: 16443, serverUrl: 'https://127.0.0.1:16443', foreground: false,
      runtimeEndpoint: 'containerd:///run/containerd/containerd.sock',
      node: { name: 'n1', ip: '127.0.0.1', apiPort: 17250, network: { mode: 'none', bridge: 'tkx1' }, serviceCidr: '10.100.0.0/16', clusterCidr: '10.244.0.0/16' },
    });
    expect(p.serverArgs).toEqual(['server', '--data-dir', '/d', '--listen', '127.0.0.1:16443', '--service-cidr', '10.100.0.0/16']);
  });

  it('defaults to the host: :6443 reached on loopback, :10250, host mode on tk0', () => {
    const p = parseUpFlags(['--data-dir', '/nonexistent/tk-up-flags']);
    expect(p).toMatchObject({ listenHost: '0.0.0.0', port: 6443, serverUrl: 'https://127.0.0.1:6443', node: { apiPort: 10250, network: { mode: 'host', bridge: 'tk0' } } });
  });

  it.each([
    [['--listen', 'nope'], '--listen must be HOST:PORT, not "nope"'],
    [['--listen', '0.0.0.0:70000'], '--listen must be HOST:PORT'],
    [['--node-name', 'Bad_Name'], '--node-name "Bad_Name": '],
    [['--node-ip', '10.0.0.300'], '--node-ip: "10.0.0.300" is not an IPv4 address'],
    [['--node-api-port', '0'], '--node-api-port: not a port: "0"'],
    [['--bridge', '../etc'], '--bridge: "../etc" is not an interface name'],
    [['--bridge', 'a-name-too-long-for-linux'], 'is not an interface name'],
    [['--network-mode', 'bridge'], '--network-mode must be none, node, host, not "bridge"'],
    [['extra'], 'up takes no arguments, got "extra"'],
  ])('refuses %j', (args, message) => {
    expect(() => parseUpFlags(['--data-dir', '/nonexistent/tk-up-flags', ...args])).toThrow(message);
  });

  it('records the node network for down; an odd record reads as the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-up-flags-'));
    try {
      expect(recordedNodeNetwork(dir)).toEqual({ mode: 'host', bridge: 'tk0' });
      recordNodeNetwork(dir, { mode: 'none', bridge: 'tkx1' });
      expect(recordedNodeNetwork(dir)).toEqual({ mode: 'none', bridge: 'tkx1' });
      recordNodeNetwork(dir, { mode: 'none', bridge: 'x y/z' });
      expect(recordedNodeNetwork(dir)).toEqual({ mode: 'host', bridge: 'tk0' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
