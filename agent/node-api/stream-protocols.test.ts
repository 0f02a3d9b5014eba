import { describe, expect, it } from 'vitest';
import { exitStatus, failureStatus } from './exec-status.js';
import { expectedStreams } from './spdy-exec.js';
import {
  SPDY_EXEC_PROTOCOLS, headerList, negotiateStreamProtocol, negotiateWsProtocol, spdyNegotiationRefusal, statusPayload, wsNegotiationRefusal,
} from './stream-protocols.js';
import { frame, unframe } from './websocket-stream.js';

describe('exec/attach protocol negotiation', () => {
  it('reads a repeated or comma-joined header in the client’s order', () => {
    expect(headerList(['v5.channel.k8s.io, v4.channel.k8s.io', 'channel.k8s.io'])).toEqual(['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io']);
    expect(headerList(undefined)).toEqual([]);
  });

  it('WebSocket: the first subprotocol the client offers that we serve, as upstream’s handshake picks it', () => {
    expect(negotiateWsProtocol(['v5.channel.k8s.io', 'v4.channel.k8s.io'])?.name).toBe('v5.channel.k8s.io');
    expect(negotiateWsProtocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'])?.name).toBe('v4.channel.k8s.io');
    expect(negotiateWsProtocol(['x', 'channel.k8s.io'])).toEqual({ name: 'channel.k8s.io', binary: true, jsonStatus: false, closeChannel: false });
    expect(negotiateWsProtocol(['base64.channel.k8s.io'])).toEqual({ name: 'base64.channel.k8s.io', binary: false, jsonStatus: false, closeChannel: false });
    expect(negotiateWsProtocol(['v4.base64.channel.k8s.io'])).toMatchObject({ binary: false, jsonStatus: true, closeChannel: false });
    expect(negotiateWsProtocol(['v5.channel.k8s.io'])).toMatchObject({ jsonStatus: true, closeChannel: true });
    // no subprotocol offered: channel.k8s.io framing; offered but none served: refused
    expect(negotiateWsProtocol([])).toEqual({ name: '', binary: true, jsonStatus: false, closeChannel: false });
    expect(negotiateWsProtocol(['v3.channel.k8s.io', 'SPDY/3.1+portforward.k8s.io'])).toBeUndefined();
    expect(wsNegotiationRefusal(['v3.channel.k8s.io']).status.message)
      .toBe('requested protocol(s) are not supported: [v3.channel.k8s.io]; supports [v5.channel.k8s.io v4.channel.k8s.io v4.base64.channel.k8s.io channel.k8s.io base64.channel.k8s.io]');
  });

  it('SPDY: v4 to v1 in the client’s order; resize from v3 on; upstream’s refusals', () => {
    expect(negotiateStreamProtocol(['v3.channel.k8s.io', 'v4.channel.k8s.io'], SPDY_EXEC_PROTOCOLS)).toEqual({ name: 'v3.channel.k8s.io', resize: true, jsonStatus: false });
    expect(negotiateStreamProtocol(['v2.channel.k8s.io'], SPDY_EXEC_PROTOCOLS)).toEqual({ name: 'v2.channel.k8s.io', resize: false, jsonStatus: false });
    expect(negotiateStreamProtocol(['channel.k8s.io'], SPDY_EXEC_PROTOCOLS)?.name).toBe('channel.k8s.io');
    expect(negotiateStreamProtocol(['v5.channel.k8s.io'], SPDY_EXEC_PROTOCOLS)).toBeUndefined();
    expect(negotiateStreamProtocol(['portforward.k8s.io'], ['portforward.k8s.io'])).toBe('portforward.k8s.io');
    const tty = { stdin: true, stdout: true, stderr: false, tty: true };
    expect(expectedStreams(tty, true)).toEqual(['error', 'stdin', 'stdout', 'resize']);
    expect(expectedStreams(tty, false)).toEqual(['error', 'stdin', 'stdout']);
    expect(spdyNegotiationRefusal([], ['a']).status).toMatchObject({ code: 400, message: 'unable to upgrade: X-Stream-Protocol-Version is required' });
    expect(spdyNegotiationRefusal(['v9', 'v8'], ['a', 'b']).status)
      .toMatchObject({ code: 403, message: 'unable to upgrade: unable to negotiate protocol: client supports [v9 v8], server accepts [a b]' });
  });

  it('v4 and later end with the Status JSON; older ones with a failure’s message only', () => {
    expect(statusPayload(exitStatus(0), true)).toBe('{"metadata":{},"status":"Success"}');
    expect(JSON.parse(statusPayload(exitStatus(2), true)!)).toMatchObject({ reason: 'NonZeroExitCode' });
    expect(statusPayload(exitStatus(0), false)).toBeUndefined();
    expect(statusPayload(exitStatus(2), false)).toBe('command terminated with non-zero exit code: exit status 2');
    expect(statusPayload(failureStatus('boom'), false)).toBe('boom');
  });

  it('frames binary messages with a channel byte and base64 ones with a digit', () => {
    expect(frame(1, 'hi')).toEqual(Buffer.from([1, 104, 105]));
    expect(frame(1, 'hi', false)).toBe('1aGk=');
    expect(frame(3, '', false)).toBe('3');
    expect(unframe(Buffer.from('0Zm9vCg=='), false)).toEqual({ channel: 0, payload: Buffer.from('foo\n') });
    expect(unframe(Buffer.from([0, 102]), true)).toEqual({ channel: 0, payload: Buffer.from('f') });
    expect(unframe(Buffer.from('0not base64!'), false)).toBeUndefined();
    expect(unframe(Buffer.alloc(0), true)).toBeUndefined();
  });
});
