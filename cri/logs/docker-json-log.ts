/**
 * Docker's json-file log line, which the kubelet's log reader (and so crictl) accepts beside the
 * CRI format: on Docker nodes a container's CRI log path links to Docker's own log, as dockershim
 * did. One line: {"log":"<text>\n","stream":"stdout|stderr","time":"<RFC3339Nano>"}; a log value
 * without its newline is a partial line (Docker splits long lines at 16 KiB). PURE.
 */
import type { CriLogRecord } from './log-record.js';

export function parseDockerJsonLogRecord(line: Buffer): CriLogRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line.toString('utf8'));
  } catch {
    return undefined; // not JSON: not a json-file line either
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { log, stream, time } = v as { log?: unknown; stream?: unknown; time?: unknown };
  if (typeof log !== 'string' || typeof time !== 'string' || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  const full = log.endsWith('\n');
  return { time, stream, partial: !full, text: Buffer.from(full ? log.slice(0, -1) : log) };
}
