/**
 * Errors of the upgrade step, translated at this edge into CriError kinds: a refused upgrade by
 * its HTTP status (404: the token is unknown or used, as a streaming server's token is single-use;
 * 400/403: the server refuses the request or every protocol offered), a failed connection as
 * Unavailable.
 */
import type { IncomingMessage } from 'node:http';
import { CriError } from '../errors.js';
import type { CriErrorKind } from '../errors.js';

const kindOfStatus = (status: number): CriErrorKind => {
  if (status === 404) return 'NotFound';
  if (status === 400 || status === 403) return 'InvalidArgument';
  if (status === 503) return 'Unavailable';
  return 'Unknown';
};

/** The message of a refusal body: a Status' message, else the text itself. */
function messageOf(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string') return s.message;
  } catch {
    // not JSON: the body is the message (Go's http.Error writes plain text)
  }
  return body.trim();
}

export function refusalError(what: string, status: number, body: string): CriError {
  const message = messageOf(body);
  return new CriError(kindOfStatus(status), `${what}: upgrade refused with ${status}${message ? `: ${message}` : ''}`);
}

/** Reads a refusal response's body (bounded) and turns it into the error. */
export function readRefusal(what: string, res: IncomingMessage): Promise<CriError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => { if (size < 64 * 1024) { chunks.push(c); size += c.length; } });
    const done = () => resolve(refusalError(what, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
    res.once('end', done);
    res.once('error', done);
  });
}

export function connectError(what: string, err: unknown): CriError {
  if (err instanceof CriError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const kind: CriErrorKind = code === 'ETIMEDOUT' ? 'DeadlineExceeded' : 'Unavailable';
  return new CriError(kind, `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
