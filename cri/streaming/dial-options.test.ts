import { describe, expect, it } from 'vitest';
import { defaultRemoteCommandTransport } from './dial-options.js';

describe('defaultRemoteCommandTransport', () => {
  it.each([
    [false, false, 'websocket'],
    [true, false, 'spdy'], // stdin must be closable alone
    [false, true, 'spdy'], // containerd loses a TTY's output over WebSocket without stdin
    [true, true, 'spdy'],
  ] as const)('stdin %s, tty %s: %s', (stdin, tty, want) => {
    expect(defaultRemoteCommandTransport({ stdin, tty })).toBe(want);
  });
});
