import { describe, expect, it } from 'vitest';
import { createUdpForwarder, parseUpstreams } from './forwarder.js';

describe('parseUpstreams', () => {
  it('keeps valid IPv4 upstreams once, drops ourselves and junk', () => {
    expect(parseUpstreams(['10.255.255.53', '10.255.255.53:53', '127.0.0.1:5353', 'fe80::1', 'nope', '0.0.0.0', '10.96.0.10', '1.2.3.4:99999'],
      [{ address: '10.96.0.10', port: 53 }])).toEqual([{ address: '10.255.255.53', port: 53 }, { address: '127.0.0.1', port: 5353 }]);
  });

  it('gives no forwarder when nothing usable is left (the handler answers SERVFAIL at once)', () => {
    expect(createUdpForwarder({ upstreams: [] })).toBeUndefined();
    expect(createUdpForwarder({ upstreams: ['10.96.0.10'], exclude: [{ address: '10.96.0.10', port: 53 }] })).toBeUndefined();
  });
});
