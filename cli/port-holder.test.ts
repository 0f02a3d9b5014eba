import { describe, expect, it } from 'vitest';
import { conflicting, describeHolder, parseProcNetTcp } from './port-holder.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21001 1 0000000000000000 100 0 0 10 0
   1: 00000000:192B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21002 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1388 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 21003 1 0000000000000000 20 4 30 10 -1
   3: 0500000A:2803 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21004 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:2800 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31001 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31002 1 0000000000000000 100 0 0 10 0
   2: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31003 1 0000000000000000 100 0 0 10 0
`;

describe('parseProcNetTcp', () => {
  it('keeps listening sockets with their address, port and inode', () => {
    expect(parseProcNetTcp(TCP)).toEqual([
      { address: '127.0.0.1', port: 5000, inode: 21001 },
      { address: '0.0.0.0', port: 6443, inode: 21002 },
      { address: '10.0.0.5', port: 10243, inode: 21004 },
    ]);
  });

  it('reads IPv6 words, the wildcard and v4-mapped addresses', () => {
    expect(parseProcNetTcp(TCP6, true)).toEqual([
      { address: '::', port: 10240, inode: 31001 },
      { address: '127.0.0.1', port: 8080, inode: 31002 },
      { address: '0:0:0:0:0:0:0:1', port: 8081, inode: 31003 },
    ]);
  });
});

describe('conflicting', () => {
  const ls = [...parseProcNetTcp(TCP), ...parseProcNetTcp(TCP6, true)];
  it.each([
    ['a wildcard listener takes the port on every address', '127.0.0.1', 6443, [21002]],
    ['a wildcard bind collides with a listener on one address', '0.0.0.0', 5000, [21001]],
    ['the same address', '127.0.0.1', 5000, [21001]],
    ['another address is free', '10.0.0.6', 5000, []],
    ['IPv6 :: takes IPv4 too', '10.0.0.6', 10240, [31001]],
    ['a free port', '0.0.0.0', 6444, []],
  ])('%s', (_what, host, port, inodes) => {
    expect(conflicting(ls, host, port).map((l) => l.inode)).toEqual(inodes);
  });
});

describe('describeHolder', () => {
  it('names the process, or says only that the port is taken', () => {
    expect(describeHolder(6443, { pid: 42, command: 'node /x/cli/main.js server --data-dir /var/lib/tinykube' }))
      .toBe('port 6443 is in use by pid 42 (node /x/cli/main.js server --data-dir /var/lib/tinykube)');
    expect(describeHolder(6443, {})).toBe('port 6443 is already in use');
    expect(describeHolder(80, { pid: 9, command: 'python3 -c \nimport socket\n\tx' })).toBe('port 80 is in use by pid 9 (python3 -c  import socket x)');
    expect(describeHolder(1, { pid: 7, command: 'x'.repeat(500) })).toMatch(/^port 1 is in use by pid 7 \(x{397}\.\.\.\)$/);
  });
});
