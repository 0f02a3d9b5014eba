/**
 * `crictl port-forward POD-ID [LOCAL_PORT:]REMOTE_PORT…`: listens on 127.0.0.1 and carries each
 * connection to the port inside the sandbox (CRI PortForward, streamed through the runtime's URL).
 * Prints "Forwarding from 127.0.0.1:L -> R" per port, as crictl does, and runs until Ctrl-C.
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { Command } from '../context.js';
import { resolveSandbox } from '../resolve.js';

/** PURE. "8080:80" → {local 8080, remote 80}; "80" → {local 80, remote 80}; ":80" → an ephemeral local port. */
export function parsePortSpec(spec: string): { local: number; remote: number } {
  const m = /^(\d*)(?::(\d+))?$/.exec(spec);
  const port = (s: string) => { const n = Number(s); if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`invalid port in "${spec}"`); return n; };
  if (m === null || (m[2] === undefined && m[1] === '')) throw new UsageError(`invalid port specification "${spec}": want [LOCAL_PORT:]REMOTE_PORT`);
  if (m[2] === undefined) return { local: port(m[1]!), remote: port(m[1]!) };
  const remote = port(m[2]);
  if (remote === 0) throw new UsageError(`invalid port specification "${spec}": the remote port must not be 0`);
  return { local: m[1] === '' ? 0 : port(m[1]!), remote };
}

export const portForwardCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, {});
  const [prefix, ...specs] = p.positionals;
  if (prefix === undefined || specs.length === 0) throw new UsageError('port-forward needs a pod ID and at least one [LOCAL_PORT:]REMOTE_PORT');
  const ports = specs.map(parsePortSpec);
  const id = await resolveSandbox(ctx.runtime, prefix);
  const servers: Server[] = [];
  try {
    for (const { local, remote } of ports) {
      const server = createServer((conn) => {
        ctx.runtime.portForward(id, remote).then((up) => {
          conn.pipe(up).pipe(conn);
          const end = () => { conn.destroy(); up.destroy(); };
          conn.once('close', end);
          up.once('close', end);
          up.once('error', end);
          conn.once('error', end);
        }, (err: unknown) => {
          ctx.io.err.write(`crictl: port-forward ${remote}: ${err instanceof Error ? err.message : String(err)}\n`);
          conn.destroy();
        });
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(local, '127.0.0.1', () => resolve()); });
      const addr = server.address();
      ctx.io.out.write(`Forwarding from 127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : local} -> ${remote}\n`);
    }
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return 0;
  } finally {
    for (const s of servers) s.close();
  }
};
