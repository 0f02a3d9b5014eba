/** Streaming pieces of the FakeRuntime: exec and attach sessions over PassThrough streams, log replay/follow. */
import { PassThrough } from 'node:stream';
import type { AttachOptions, ExecOptions, ExecSyncResponse, LogLine, StreamSession } from '../types.js';

/** A finished exec: its output on the streams, its exit code resolved. */
export function execSession(r: ExecSyncResponse, opts: ExecOptions): StreamSession {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.end(r.stdout);
  stderr.end(r.stderr);
  return { stdin: opts.stdin ? new PassThrough() : undefined, stdout, stderr: opts.stderr && !opts.tty ? stderr : undefined, exitCode: Promise.resolve(r.exitCode) };
}

/** stdin comes back on stdout; the session ends when stdin ends. */
export function echoSession(opts: AttachOptions): StreamSession {
  const pipe = new PassThrough();
  const ended = new Promise<number>((resolve) => pipe.once('end', () => resolve(0)));
  return { stdin: opts.stdin ? pipe : undefined, stdout: pipe, exitCode: ended };
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
