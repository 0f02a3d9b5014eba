/**
 * Drives one exec/attach session to its end: copies stdout/stderr to the transport's sinks and
 * resolves with the final Status once both outputs ended and the exit code is known (output
 * written before the status, so nothing is lost).
 */
import type { Readable } from 'node:stream';
import type { Status } from 'kubernetes-types/meta/v1.js';
import type { StreamSession } from '../../cri/types.js';
import { errorStatus, exitStatus } from './exec-status.js';

export interface SessionSinks {
  stdout?: (chunk: Buffer) => void;
  stderr?: (chunk: Buffer) => void;
}

function drain(stream: Readable | undefined, sink: ((chunk: Buffer) => void) | undefined): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer | string) => sink?.(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    // A broken output pipe ends that output; the exit code still decides the status.
    stream.once('error', () => resolve());
  });
}

export async function pumpSession(session: StreamSession, sinks: SessionSinks): Promise<Status> {
  const outputs = Promise.all([drain(session.stdout, sinks.stdout), drain(session.stderr, sinks.stderr)]);
  try {
    const code = await session.exitCode;
    await outputs;
    return exitStatus(code);
  } catch (err) {
    return errorStatus(err);
  }
}

/** Parses the resize messages in a chunk (`{"Width":100,"Height":20}`, possibly several). */
export function parseResize(text: string): { width: number; height: number }[] {
  const out: { width: number; height: number }[] = [];
  for (const m of text.match(/\{[^{}]*\}/g) ?? []) {
    try {
      const v = JSON.parse(m) as { Width?: unknown; Height?: unknown };
      if (typeof v.Width === 'number' && typeof v.Height === 'number') out.push({ width: v.Width, height: v.Height });
    } catch {
      // a malformed resize message is ignored, as upstream's decoder loop does
    }
  }
  return out;
}
