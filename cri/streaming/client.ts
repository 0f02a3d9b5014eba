/**
 * The client of a CRI streaming server: what the Exec, Attach and PortForward RPCs hand back is a
 * URL on the runtime's streaming server (containerd: `http://127.0.0.1:<port>/exec/<token>`,
 * `/attach/<token>`, `/portforward/<token>`; agent/cri-server for Docker nodes). Tokens are
 * single-use: each URL is dialled once. `opts` must repeat the flags of the CRI request (the
 * server already holds them; they tell the client which streams to expect).
 *
 * Transport (dial-options.ts), from what works on containerd 1.6: exec per
 * defaultRemoteCommandTransport() (SPDY with stdin, which needs a half-close, or a TTY; WebSocket
 * v4.channel.k8s.io otherwise), attach over SPDY, port-forward over WebSocket.
 */
import type { Duplex } from 'node:stream';
import type { AttachOptions, ExecOptions, StreamSession } from '../types.js';
import { defaultRemoteCommandTransport } from './dial-options.js';
import type { StreamDialOptions, StreamTransport } from './dial-options.js';
import { spdyPortForward } from './spdy-port-forward.js';
import { spdyRemoteCommand } from './spdy-remote-command.js';
import { webSocketPortForward } from './ws-port-forward.js';
import { webSocketRemoteCommand } from './ws-remote-command.js';

export { defaultRemoteCommandTransport };
export type { StreamDialOptions, StreamTransport };

const remoteCommandTransport = (flags: { stdin: boolean; tty: boolean }, dial: StreamDialOptions): StreamTransport =>
  dial.transport ?? defaultRemoteCommandTransport(flags);

/** Runs the exec the URL was issued for; the session ends with the process (exitCode). */
export function dialExec(url: string, opts: ExecOptions, dial: StreamDialOptions = {}): Promise<StreamSession> {
  const flags = { stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr, tty: opts.tty };
  return remoteCommandTransport(opts, dial) === 'spdy'
    ? spdyRemoteCommand('exec', url, flags, dial)
    : webSocketRemoteCommand('exec', url, flags, dial);
}

/**
 * Attaches to the container's main process; exitCode resolves when it exits (or 0 when the server
 * ends the attach). SPDY by default: over WebSocket containerd reads the stdin channel as EOF when
 * stdin was not asked for, and for a container whose stdin is open that ends the attach's output
 * (or, with stdin_once, closes the container's stdin).
 */
export function dialAttach(url: string, opts: AttachOptions, dial: StreamDialOptions = {}): Promise<StreamSession> {
  return (dial.transport ?? 'spdy') === 'spdy'
    ? spdyRemoteCommand('attach', url, opts, dial)
    : webSocketRemoteCommand('attach', url, opts, dial);
}

/** One connection to `port` inside the sandbox the URL was issued for. */
export function dialPortForward(url: string, port: number, dial: StreamDialOptions = {}): Promise<Duplex> {
  return (dial.transport ?? 'websocket') === 'spdy'
    ? spdyPortForward('port-forward', url, port, dial)
    : webSocketPortForward('port-forward', url, port, dial);
}
