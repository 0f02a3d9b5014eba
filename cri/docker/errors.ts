/**
 * Engine API errors → CriError, at the edge. Docker reports failures as HTTP status codes
 * (404 no such object, 409 conflict, 304 already in that state), carried by DockerEngineError
 * (engine/errors.ts) with Docker's message; socket failures (ECONNREFUSED, ENOENT, …) mean the
 * daemon is unavailable; an aborted call is DeadlineExceeded. Callers above this file only see
 * CriError kinds.
 */
import { CriError, type CriErrorKind } from '../errors.js';

/** What we read of a DockerEngineError or a Node socket error. */
interface EngineErrorShape { statusCode?: unknown; code?: unknown; message?: unknown }

/** The HTTP status of an Engine API error, if it has one. */
export function dockerStatus(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as EngineErrorShape).statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Docker's own message ("No such container: …"; a DockerEngineError's message), else the error's message. */
export function dockerMessage(e: unknown): string {
  if (typeof e !== 'object' || e === null) return String(e);
  const message = (e as EngineErrorShape).message;
  return typeof message === 'string' ? message : String(e);
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EACCES', 'ETIMEDOUT']);

export function kindOfDockerError(e: unknown): CriErrorKind {
  const status = dockerStatus(e);
  if (status === 404) return 'NotFound';
  if (status === 409) return 'AlreadyExists';
  if (status === 400) return 'InvalidArgument';
  if (status === 503) return 'Unavailable';
  const code = typeof e === 'object' && e !== null ? (e as EngineErrorShape).code : undefined;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return 'Unavailable';
  if (typeof code === 'string' && (code === 'ABORT_ERR' || code === 'DOCKER_NO_PROGRESS')) return 'DeadlineExceeded';
  return 'Unknown';
}

/** Wraps any error from the Engine API client into a CriError with `what` as context. CriErrors pass through. */
export function translateDockerError(e: unknown, what: string): CriError {
  if (e instanceof CriError) return e;
  return new CriError(kindOfDockerError(e), `${what}: ${dockerMessage(e)}`, { cause: e });
}

/** Runs `fn`, translating its failure. */
export async function docker<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw translateDockerError(e, what);
  }
}

/** Runs `fn`; 404 (gone) and 304 (already stopped) count as done. For idempotent stop/remove. */
export async function dockerIdempotent(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const status = dockerStatus(e);
    if (status === 404 || status === 304) return;
    throw translateDockerError(e, what);
  }
}
