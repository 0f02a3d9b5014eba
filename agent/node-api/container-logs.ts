/**
 * GET /containerLogs: the container's log as text/plain, raw bytes. follow keeps a chunked
 * response open until the container's log ends or the client goes away; timestamps prefixes each
 * line with its RFC3339Nano time and a space; limitBytes cuts the output.
 */
import type { ServerResponse } from 'node:http';
import type { RuntimeService } from '../../cri/types.js';
import type { LogRequest } from './node-api-path.js';

export interface ContainerLogsOptions {
  runtime: Pick<RuntimeService, 'containerLogs'>;
  containerId: string;
  request: LogRequest;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
}

/** One log record as sent: the line with its newline, behind the timestamp when asked. */
export function renderLogLine(time: string, line: Buffer, timestamps: boolean): Buffer {
  const body = line.length > 0 && line[line.length - 1] === 0x0a ? line : Buffer.concat([line, Buffer.from('\n')]);
  return timestamps ? Buffer.concat([Buffer.from(`${time} `), body]) : body;
}

export async function serveContainerLogs(res: ServerResponse, opts: ContainerLogsOptions): Promise<void> {
  const { request } = opts;
  const lines = opts.runtime.containerLogs(
    opts.containerId, { follow: request.follow, tailLines: request.tailLines, sinceTime: request.sinceTime }, opts.signal,
  )[Symbol.asyncIterator]();
  const start = () => res.writeHead(200, { 'Content-Type': 'text/plain' });
  // follow answers at once (the log may stay quiet); otherwise the first record (or the end)
  // comes first, so that a runtime error before any output becomes an error answer.
  if (request.follow) { start(); res.flushHeaders(); }
  const first = await lines.next();
  if (!request.follow) start();
  let budget = request.limitBytes ?? Infinity;
  const write = (chunk: Buffer): boolean => {
    const out = chunk.length > budget ? chunk.subarray(0, budget) : chunk;
    budget -= out.length;
    if (out.length > 0) res.write(out);
    return budget > 0;
  };
  try {
    let next = first;
    while (!next.done && !opts.signal.aborted) {
      if (!write(renderLogLine(next.value.time, next.value.line, request.timestamps))) break;
      next = await lines.next();
    }
  } catch {
    // the log source failed after the answer started: the body just ends, as the kubelet's does
  } finally {
    await lines.return?.();
    res.end();
  }
}
