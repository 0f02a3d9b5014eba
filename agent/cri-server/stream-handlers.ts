/**
 * Exec, Attach and PortForward: checked as upstream's streaming server checks them (a target id;
 * for exec/attach at least one stream, and no stderr with a tty since a terminal has one output),
 * the target looked up (NOT_FOUND when missing, FAILED_PRECONDITION when it is not running or not
 * ready), then remembered under a token whose URL is the answer. The session itself happens on
 * the streaming server when the client connects.
 */
import type { UntypedHandleCall } from '@grpc/grpc-js';
import { CriError } from '../../cri/errors.js';
import { requireId } from './context.js';
import type { HandlerContext } from './context.js';
import { unary } from './unary.js';

interface StreamFlagsWire { container_id?: string; tty?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean }

function flagsOf(r: StreamFlagsWire): { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean } {
  const f = { tty: r.tty === true, stdin: r.stdin === true, stdout: r.stdout === true, stderr: r.stderr === true };
  if (f.tty && f.stderr) throw new CriError('InvalidArgument', 'tty and stderr cannot both be true');
  if (!f.stdin && !f.stdout && !f.stderr) throw new CriError('InvalidArgument', 'one of stdin, stdout, or stderr must be set');
  return f;
}

export function streamHandlers(ctx: HandlerContext): Record<string, UntypedHandleCall> {
  const { runtime, log } = ctx;
  const running = async (id: string): Promise<void> => {
    const s = await runtime.containerStatus(id);
    if (s.state !== 'CONTAINER_RUNNING') throw new CriError('FailedPrecondition', `container ${id} is not running (state ${s.state})`);
  };
  return {
    Exec: unary('Exec', log, async (r: StreamFlagsWire & { cmd?: string[] }) => {
      const id = requireId(r.container_id, 'container_id');
      const flags = flagsOf(r);
      if (!r.cmd || r.cmd.length === 0) throw new CriError('InvalidArgument', 'missing required cmd');
      await running(id);
      return { url: ctx.streaming.url({ kind: 'exec', containerId: id, cmd: [...r.cmd], ...flags }) };
    }),
    Attach: unary('Attach', log, async (r: StreamFlagsWire) => {
      const id = requireId(r.container_id, 'container_id');
      const flags = flagsOf(r);
      await running(id);
      return { url: ctx.streaming.url({ kind: 'attach', containerId: id, ...flags }) };
    }),
    PortForward: unary('PortForward', log, async (r: { pod_sandbox_id?: string; port?: number[] }) => {
      const id = requireId(r.pod_sandbox_id, 'pod_sandbox_id');
      const ports = r.port ?? [];
      const bad = ports.find((p) => !Number.isInteger(p) || p < 1 || p > 65535);
      if (bad !== undefined) throw new CriError('InvalidArgument', `port ${bad} is not a port (1-65535)`);
      const s = await runtime.podSandboxStatus(id);
      if (s.state !== 'SANDBOX_READY') throw new CriError('FailedPrecondition', `pod sandbox ${id} is not ready`);
      return { url: ctx.streaming.url({ kind: 'portForward', podSandboxId: id, ports: [...ports] }) };
    }),
  };
}
