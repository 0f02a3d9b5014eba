/**
 * Exec and attach on Docker: execSync collects demultiplexed output under a deadline; streaming
 * exec/attach hijack the HTTP connection (stdin half-closes it; without a TTY the output is
 * demultiplexed into stdout and stderr; resize maps to the exec/container resize call).
 */
import { PassThrough, type Duplex, type Readable } from 'node:stream';
import { CriError } from '../errors.js';
import type { AttachOptions, ExecOptions, ExecSyncResponse, StreamSession } from '../types.js';
import type { DockerEngine } from './engine/client.js';
import { docker as call } from './errors.js';
import { demux, FrameDecoder } from './frames.js';

/** An exec instance: its ID and the client that made it. */
interface ExecRef { d: DockerEngine; execId: string }

export async function execSync(d: DockerEngine, id: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
  const what = `exec in ${id}`;
  const execId = await call(what, () => d.createExec(id, { Cmd: [...cmd], AttachStdout: true, AttachStderr: true, Tty: false }));
  const exec: ExecRef = { d, execId };
  const stream = await call(what, () => d.startExec(execId, { tty: false }));
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const decoder = new FrameDecoder();
  stream.on('data', (chunk: Buffer) => {
    for (const f of decoder.push(chunk)) (f.stream === 'stderr' ? err : out).push(f.payload);
  });
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    if (timeoutSeconds > 0) timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
  });
  try {
    if (await Promise.race([ended.then(() => 'done' as const), deadline]) === 'timeout') {
      stream.destroy();
      await killExec(exec);
      throw new CriError('DeadlineExceeded', `${what}: command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`);
    }
  } finally {
    clearTimeout(timer);
  }
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode: await exitCodeOf(exec) };
}

/** Docker cannot kill an exec; its process is visible from the host, so kill it there. */
async function killExec(exec: ExecRef): Promise<void> {
  try {
    const info = await exec.d.inspectExec(exec.execId);
    if (info.Running && info.Pid > 0) process.kill(info.Pid, 'SIGKILL');
  } catch { /* already gone */ }
}

/** The exec's exit code; Docker records it a moment after the stream ends. */
async function exitCodeOf(exec: ExecRef): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const info = await call(`inspect exec ${exec.execId}`, () => exec.d.inspectExec(exec.execId));
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new CriError('Unknown', `exec ${exec.execId}: no exit code after the stream ended`);
}

export async function exec(d: DockerEngine, id: string, opts: ExecOptions): Promise<StreamSession> {
  const what = `exec in ${id}`;
  const execId = await call(what, () => d.createExec(id, {
    Cmd: [...opts.cmd], AttachStdin: opts.stdin, AttachStdout: opts.stdout, AttachStderr: opts.stderr, Tty: opts.tty,
  }));
  const socket = await call(what, () => d.startExec(execId, { tty: opts.tty }));
  const done = streamEnd(socket).then(() => exitCodeOf({ d, execId }));
  return {
    ...sessionStreams(socket, opts),
    // best effort: a resize racing the exec's exit fails harmlessly
    resize: (size) => { void d.resizeExec(execId, { h: size.height, w: size.width }).catch(() => undefined); },
    exitCode: done,
  };
}

export async function attach(d: DockerEngine, id: string, opts: AttachOptions): Promise<StreamSession> {
  const what = `attach to ${id}`;
  const info = await call(what, () => d.inspectContainer(id));
  const tty = info.Config.Tty;
  const socket = await call(what, () => d.attachContainer(id, { stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr }));
  const exitCode = call(`wait for ${id}`, () => d.waitContainer(id)).then((r) =>
    typeof r.StatusCode === 'number' ? r.StatusCode : -1);
  return {
    ...sessionStreams(socket, { ...opts, tty }),
    // best effort: a resize racing the container's exit fails harmlessly
    resize: (size) => { void d.resizeContainer(id, { h: size.height, w: size.width }).catch(() => undefined); },
    exitCode,
  };
}

function sessionStreams(socket: Duplex, opts: { tty: boolean; stdin: boolean }): Pick<StreamSession, 'stdin' | 'stdout' | 'stderr'> {
  let stdout: Readable;
  let stderr: Readable | undefined;
  if (opts.tty) {
    stdout = socket.pipe(new PassThrough());
  } else {
    ({ stdout, stderr } = demux(socket));
  }
  if (!opts.stdin) return { stdout, ...(stderr === undefined ? {} : { stderr }) };
  const stdin = new PassThrough();
  // Ending stdin half-closes the connection: Docker then closes the process's stdin.
  stdin.pipe(socket);
  return { stdin, stdout, ...(stderr === undefined ? {} : { stderr }) };
}

function streamEnd(s: Duplex): Promise<void> {
  return new Promise((resolve) => {
    s.on('end', resolve);
    s.on('close', resolve);
    s.on('error', () => resolve());
  });
}
