/**
 * Streaming pieces of the FakeRuntime: exec sessions (a finished result, or the fake shell's `cat`
 * copying stdin), attach (the main process is a `cat`), port-forward, log replay/follow.
 */
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Duplex } from 'node:stream';
import { CriError } from '../errors.js';
import type { AttachOptions, ExecOptions, ExecSyncResponse, LogLine, StreamSession } from '../types.js';
import type { ShellRun } from './fake-shell.js';

/** A finished exec: its output on the streams, its exit code resolved. */
export function execSession(r: ExecSyncResponse, opts: ExecOptions): StreamSession {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.end(r.stdout);
  stderr.end(r.stderr);
  return { stdin: opts.stdin ? new PassThrough() : undefined, stdout, stderr: opts.stderr && !opts.tty ? stderr : undefined, exitCode: Promise.resolve(r.exitCode) };
}

/** The fake shell's run as a session; with `cat` and stdin, stdin comes back on stdout until it ends. */
export function shellSession(run: ShellRun, opts: ExecOptions): StreamSession {
  const result = { stdout: Buffer.from(run.stdout), stderr: Buffer.from(run.stderr), exitCode: run.exitCode };
  if (!run.readsStdin || !opts.stdin) return execSession(result, opts);
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.write(result.stdout);
  stdin.pipe(stdout);
  stderr.end(result.stderr);
  const exitCode = new Promise<number>((resolve) => stdout.once('end', () => resolve(run.exitCode)));
  return { stdin, stdout, stderr: opts.stderr && !opts.tty ? stderr : undefined, exitCode };
}

/** Attached to a `cat`: stdin comes back on stdout; the session ends when stdin ends or the container exits. */
export function attachSession(opts: AttachOptions, exited: Promise<number>): StreamSession {
  const pipe = new PassThrough();
  const ended = new Promise<number>((resolve) => pipe.once('end', () => resolve(0)));
  void exited.then(() => pipe.end());
  return { stdin: opts.stdin ? pipe : undefined, stdout: pipe, exitCode: Promise.race([ended, exited]) };
}

/** A TCP connection to `to`, or an echo stream (what is written comes back) without one. */
export async function forwardConnection(to: { host: string; port: number } | undefined, port: number): Promise<Duplex> {
  if (to === undefined) return new PassThrough();
  const sock = connect(to.port, to.host);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', (e) => reject(new CriError('Unavailable', `port-forward ${port} to ${to.host}:${to.port}: ${e.message}`, { cause: e })));
  });
  return sock;
}

export async function* replayLogs(logs: LogLine[], opts: { follow: boolean; tailLines?: number; sinceTime?: Date }, signal: AbortSignal,
  src: { running(): boolean; changed(signal: AbortSignal): Promise<void> }): AsyncIterable<LogLine> {
  const since = opts.sinceTime?.getTime();
  let lines = logs.filter((l) => since === undefined || Date.parse(l.time) >= since);
  if (opts.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - opts.tailLines));
  let sent = logs.length;
  yield* lines;
  while (opts.follow && !signal.aborted && src.running()) {
    await src.changed(signal);
    const more = logs.slice(sent);
    sent = logs.length;
    yield* more;
  }
}
