/**
 * ApiError: the only error type that becomes an HTTP response. Factories build the upstream
 * Status bodies (messages as the real apiserver words them; kubectl rebuilds 422 lines from causes).
 */
import type { Status, StatusCause } from 'kubernetes-types/meta/v1.js';

export type StatusReason =
  | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'BadRequest' | 'Expired' | 'Gone'
  | 'MethodNotAllowed' | 'Forbidden' | 'Unauthorized' | 'TooManyRequests' | 'Timeout'
  | 'ServiceUnavailable' | 'InternalError' | 'UnsupportedMediaType' | 'NotAcceptable'
  | 'RequestEntityTooLarge';

/** group + plural resource, e.g. { group: 'apps', resource: 'deployments' }. */
export interface GroupResource { group: string; resource: string }

export const fmtGR = (gr: GroupResource): string => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

export class ApiError extends Error {
  readonly status: Status & { code: number };
  constructor(status: Status & { code: number }, opts?: ErrorOptions) {
    super(status.message ?? status.reason ?? 'error', opts);
    this.name = 'ApiError';
    this.status = status;
  }
  get code(): number { return this.status.code; }
  get reason(): string | undefined { return this.status.reason; }
}

function failure(code: number, reason: StatusReason, message: string, details?: Status['details'], opts?: ErrorOptions): ApiError {
  const status: Status & { code: number } = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new ApiError(status, opts);
}

/** A Success Status (a deleted object's details; 201 from pods/binding and pods/eviction). */
export function success(o: { code?: number; details?: Status['details'] } = {}): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (o.code !== undefined) status.code = o.code;
  if (o.details) status.details = o.details;
  return status;
}

export const notFound = (gr: GroupResource, name: string): ApiError =>
  failure(404, 'NotFound', `${fmtGR(gr)} "${name}" not found`, { name, group: gr.group || undefined, kind: gr.resource });

/** 404 without details: what is missing is said in the message only (a path, a container on a node). */
export const notFoundMessage = (message: string): ApiError => failure(404, 'NotFound', message);

export const pathNotFound = (): ApiError => notFoundMessage('the server could not find the requested resource');

export const alreadyExists = (gr: GroupResource, name: string): ApiError =>
  failure(409, 'AlreadyExists', `${fmtGR(gr)} "${name}" already exists`, { name, group: gr.group || undefined, kind: gr.resource });

export const conflict = (gr: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${fmtGR(gr)} "${name}": ${why}`, { name, group: gr.group || undefined, kind: gr.resource });

/** One field problem, upstream field.Error shape. `type` is the upstream ErrorType reason string. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueNotFound' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate'
      | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid' | 'InternalError';
  field: string;
  /** The message without the field path, e.g. `Required value` or `Invalid value: "x": must be …`. */
  message: string;
}

/** 422 Invalid, message as upstream: `Kind "name" is invalid: [f1: m1, f2: m2]` (brackets only when several). */
export function invalid(kind: string, gr: GroupResource, name: string, errors: readonly FieldError[]): ApiError {
  const parts = errors.map((e) => `${e.field}: ${e.message}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  return failure(422, 'Invalid', `${kind}${gr.group ? '.' + gr.group : ''} "${name}" is invalid: ${list}`,
    { name, group: gr.group || undefined, kind, causes });
}

export const badRequest = (message: string, causes?: StatusCause[]): ApiError =>
  failure(400, 'BadRequest', message, causes ? { causes } : undefined);
export const expired = (message: string): ApiError => failure(410, 'Expired', message);
export const methodNotAllowed = (message: string): ApiError => failure(405, 'MethodNotAllowed', message);
export const tooLarge = (message = 'Request entity too large: limit is 3145728'): ApiError =>
  failure(413, 'RequestEntityTooLarge', message);
/** 422 with upstream's generic text and empty details (a patch that cannot be applied); `cause` says why, for logs. */
export const rejectedRequest = (opts?: ErrorOptions): ApiError =>
  failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {}, opts);
/** 429 with details.retryAfterSeconds, which the error handler also sends as a Retry-After header. */
export const tooManyRequests = (message: string, retryAfterSeconds: number): ApiError =>
  failure(429, 'TooManyRequests', message, { retryAfterSeconds });
export const unsupportedMediaType = (): ApiError => failure(415, 'UnsupportedMediaType',
  'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
/** 406: the client accepts none of the forms the endpoint can answer in (e.g. only a Table from a review). */
export const notAcceptable = (): ApiError => failure(406, 'NotAcceptable',
  'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
export const unauthorized = (): ApiError => failure(401, 'Unauthorized', 'Unauthorized');
export const forbidden = (message: string): ApiError => failure(403, 'Forbidden', message);
export const serviceUnavailable = (message: string): ApiError => failure(503, 'ServiceUnavailable', message);
export const internalError = (message = 'an error on the server has prevented the request from succeeding'): ApiError =>
  failure(500, 'InternalError', `Internal error occurred: ${message}`);
/**
 * A failure known only by its HTTP code, message as given: a watch that broke (500), an answer
 * that was not a Status (a client keeps the code it got), a node API request that failed.
 */
export const genericFailure = (code: number, message: string): ApiError => failure(code, 'InternalError', message);

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
