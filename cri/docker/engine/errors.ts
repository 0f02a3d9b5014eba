/**
 * Failures the Engine API reports. A non-2xx reply becomes a DockerEngineError carrying the HTTP
 * `statusCode` and Docker's own `{"message"}`; an `{"error"}` record inside a 200 progress stream
 * (pull) becomes one without a status. Socket failures are not wrapped: they reach the caller as
 * Node's own errors with their `code` (ECONNREFUSED, ENOENT, …), and an aborted call as an
 * AbortError (`code` ABORT_ERR). cri/docker/errors.ts turns all of them into CriError kinds.
 */

/** DOCKER_NO_PROGRESS: a pull sent no progress record for its progress deadline and was cancelled. */
export type DockerEngineErrorCode = 'DOCKER_HTTP_STATUS' | 'DOCKER_STREAM_ERROR' | 'DOCKER_BAD_REPLY' | 'DOCKER_NO_PROGRESS';

/** `message` is Docker's own ("No such container: x"), from its `{"message"}` error body. */
export class DockerEngineError extends Error {
  readonly code: DockerEngineErrorCode;
  /** The HTTP status of the reply; undefined for an error inside a stream. */
  readonly statusCode: number | undefined;

  constructor(opts: { code: DockerEngineErrorCode; message: string; statusCode?: number; cause?: unknown }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DockerEngineError';
    this.code = opts.code;
    this.statusCode = opts.statusCode;
  }
}

/** PURE. The error for a non-2xx reply: Docker's JSON `message`, else the raw body, else the status. */
export function errorFromReply(statusCode: number, body: string): DockerEngineError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      message = (parsed as { message: string }).message;
    }
  } catch { /* not JSON (e.g. a proxy's text page): keep the raw body */ }
  if (message === '') message = `HTTP ${statusCode}`;
  return new DockerEngineError({ code: 'DOCKER_HTTP_STATUS', statusCode, message });
}

/** The error an aborted call rejects or ends its stream with (`code` ABORT_ERR, as Node's own). */
export function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('the operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}
