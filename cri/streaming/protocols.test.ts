import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, hasJsonStatus, hasResize, portPrefix, resizeMessage, sessionOutcome } from './protocols.js';

describe('streaming protocols (client side)', () => {
  it('frames carry the channel first', () => {
    expect([...encodeFrame(4, '{}')]).toEqual([4, 0x7b, 0x7d]);
    expect(decodeFrame(Buffer.from([1, 0x68, 0x69]))).toEqual({ channel: 1, payload: Buffer.from('hi') });
    expect(decodeFrame(Buffer.alloc(0))).toBeUndefined();
    expect(decodeFrame(Buffer.from([2]))).toEqual({ channel: 2, payload: Buffer.alloc(0) });
  });

  it('resize and port prefix as the server reads them', () => {
    expect(resizeMessage({ width: 80, height: 24 })).toBe('{"Width":80,"Height":24}');
    expect([...portPrefix(8080)]).toEqual([0x90, 0x1f]);
  });

  it('knows which protocols end with a Status JSON and which have resize', () => {
    expect(hasJsonStatus('v4.channel.k8s.io')).toBe(true);
    expect(hasJsonStatus('channel.k8s.io')).toBe(false);
    expect(hasJsonStatus('')).toBe(false);
    expect(hasResize('v3.channel.k8s.io')).toBe(true);
    expect(hasResize('v2.channel.k8s.io')).toBe(false);
  });

  const nonZero = (code: string) => JSON.stringify({
    metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${code}`, reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: code }] },
  });

  it.each([
    ['v4 success', '{"metadata":{},"status":"Success"}', true, { exitCode: 0 }],
    ['v4 exit code', nonZero('3'), true, { exitCode: 3 }],
    ['v4 exit code 137', nonZero('137'), true, { exitCode: 137 }],
    ['v4 other failure', '{"status":"Failure","message":"container not running","reason":"InternalError","code":500}', true, { failure: 'container not running' }],
    ['v4 NonZeroExitCode without a usable cause', '{"status":"Failure","message":"odd","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"x"}]}}', true, { failure: 'odd' }],
    ['v4 not JSON', 'boom', true, { failure: 'error stream: boom' }],
    ['nothing (pre-v4 success, or a closed v4 stream)', '', true, { exitCode: 0 }],
    ['pre-v4 failure text', 'command terminated with non-zero exit code: exit status 3', false, { failure: 'command terminated with non-zero exit code: exit status 3' }],
  ])('%s', (_name, text, json, want) => {
    expect(sessionOutcome(Buffer.from(text), json)).toEqual(want);
  });
});
