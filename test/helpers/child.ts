/** Ending a child process the tests started, by its handle (never by name). */
import type { ChildProcess } from 'node:child_process';

const running = (p: ChildProcess | undefined): p is ChildProcess => !!p && p.exitCode === null && p.signalCode === null;

/** kill -9 and wait for the exit. */
export async function killNow(p: ChildProcess | undefined): Promise<void> {
  if (!running(p)) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still there. */
export async function stopGracefully(p: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!running(p)) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, graceMs); })]);
  clearTimeout(timer);
  if (running(p)) p.kill('SIGKILL');
}
