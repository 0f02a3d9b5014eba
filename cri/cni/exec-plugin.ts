/**
 * Runs one CNI plugin binary the way libcni does: configuration on stdin, parameters in CNI_*
 * environment variables, the result (or a CNI error object) on stdout. Plugin failures are
 * translated to CriError here, at the edge.
 */
import { spawn } from 'node:child_process';
import { CriError, type CriErrorKind } from '../errors.js';
import type { CniInvocation, CniPluginExec } from './types.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** CNI spec error codes → CRI error kinds (1.0.0 §"Error"). */
export function kindOfCniCode(code: number | undefined): CriErrorKind {
  switch (code) {
    case 2: case 4: case 6: case 7: return 'InvalidArgument';
    case 11: return 'Unavailable';
    default: return 'Unknown';
  }
}

/** Parses a plugin's error output; tolerates non-JSON text. */
export function parseCniError(stdout: string, stderr: string): { code?: number; msg: string } {
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (typeof parsed === 'object' && parsed !== null) {
      const rec = parsed as Record<string, unknown>;
      const code = typeof rec['code'] === 'number' ? rec['code'] : undefined;
      const msg = typeof rec['msg'] === 'string' ? rec['msg'] : stdout.trim();
      const details = typeof rec['details'] === 'string' && rec['details'] !== '' ? `: ${rec['details']}` : '';
      return { ...(code === undefined ? {} : { code }), msg: msg + details };
    }
  } catch { /* not JSON */ }
  return { msg: (stdout.trim() || stderr.trim() || 'no output').slice(0, 2000) };
}

/** The real {@link CniPluginExec}: spawns the binary. */
export function createPluginExec(opts: { timeoutMs?: number } = {}): CniPluginExec {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return (inv) => runPlugin(inv, timeoutMs);
}

function runPlugin(inv: CniInvocation, timeoutMs: number): Promise<unknown> {
  const what = `cni plugin ${inv.pluginPath} ${inv.command}`;
  return new Promise((resolve, reject) => {
    const child = spawn(inv.pluginPath, [], {
      env: {
        ...process.env,
        PATH: process.env['PATH'] ?? SYSTEM_PATH,
        CNI_COMMAND: inv.command,
        CNI_CONTAINERID: inv.containerId,
        CNI_NETNS: inv.netns,
        CNI_IFNAME: inv.ifName,
        CNI_PATH: inv.cniPath,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => { /* the exit status tells what happened */ });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new CriError(e.code === 'ENOENT' ? 'InvalidArgument' : 'Unknown', `${what}: ${e.message}`, { cause: e }));
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) {
        if (signal !== null) {
          reject(new CriError('DeadlineExceeded', `${what}: killed by ${signal} (timeout ${timeoutMs} ms)`));
          return;
        }
        const e = parseCniError(stdout, stderr);
        reject(new CriError(kindOfCniCode(e.code), `${what} failed: ${e.msg}`));
        return;
      }
      if (stdout.trim() === '') { resolve(undefined); return; }
      try {
        resolve(JSON.parse(stdout));
      } catch (e) {
        reject(new CriError('Unknown', `${what}: unparsable result: ${stdout.slice(0, 200)}`, { cause: e }));
      }
    });
    child.stdin.end(JSON.stringify(inv.conf));
  });
}
