/**
 * Running the network tools (iptables*, conntrack), optionally inside a named network namespace
 * (`ip netns exec NAME …`), and the typed error they fail with.
 */
import { spawn } from 'node:child_process';

export type NetErrorCode = 'ExecFailed' | 'RestoreFailed' | 'NotFound';

export class NetproxyError extends Error {
  /** The 1-based payload line iptables-restore reported, when it did. */
  readonly line?: number;
  readonly stderr?: string;
  constructor(readonly code: NetErrorCode, message: string, opts?: ErrorOptions & { line?: number; stderr?: string }) {
    super(message, opts);
    this.name = 'NetproxyError';
    this.line = opts?.line;
    this.stderr = opts?.stderr;
  }
}

export const isNetproxyError = (e: unknown): e is NetproxyError => e instanceof NetproxyError;

export interface ExecResult { code: number; stdout: string; stderr: string }

/** Runs commands; the fake in tests records them. */
export interface CommandRunner {
  run(cmd: string, args: readonly string[], opts?: { input?: string }): Promise<ExecResult>;
}

/** Spawns the command (prefixed with `ip netns exec NAME` when netns is set); never throws on a non-zero exit. */
export class ExecRunner implements CommandRunner {
  constructor(private readonly o: { netns?: string } = {}) {}

  run(cmd: string, args: readonly string[], opts: { input?: string } = {}): Promise<ExecResult> {
    const [file, argv] = this.o.netns ? ['ip', ['netns', 'exec', this.o.netns, cmd, ...args]] : [cmd, [...args]];
    return new Promise((resolve, reject) => {
      const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.once('error', (e: NodeJS.ErrnoException) => {
        reject(new NetproxyError(e.code === 'ENOENT' ? 'NotFound' : 'ExecFailed', `run ${file}: ${e.message}`, { cause: e }));
      });
      child.once('close', (code) => {
        resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.on('error', () => undefined); // the process may exit before reading all input; its exit code tells
      child.stdin.end(opts.input ?? '');
    });
  }
}

/** The failing line iptables-restore names ("line 12 failed" / "Error occurred at line: 12"). */
export function restoreErrorLine(stderr: string): number | undefined {
  const m = /line:? (\d+)(?: failed)?/i.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/** `lines` numbered, `radius` either side of `line` (1-based): what the proxier logs on failure. */
export function linesAround(payload: string, line: number, radius = 5): string[] {
  const all = payload.split('\n');
  const from = Math.max(1, line - radius);
  const to = Math.min(all.length, line + radius);
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${i === line ? '>' : ' '}${String(i).padStart(6)}: ${all[i - 1] ?? ''}`);
  return out;
}
