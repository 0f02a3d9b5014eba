/**
 * gRPC status ↔ CriError, the one translation at the CRI wire edge (kine's translateErr rule):
 * the client (cri/remote) turns a failed call into a CriError, the CRI server (agent/cri-server)
 * turns a CriError into the status it sends. Callers branch on `kind`, never on the message.
 */
import { Metadata, status as Code, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { CriError, type CriErrorKind } from '../errors.js';

const KIND_BY_CODE = new Map<Code, CriErrorKind>([
  [Code.NOT_FOUND, 'NotFound'],
  [Code.ALREADY_EXISTS, 'AlreadyExists'],
  [Code.UNAVAILABLE, 'Unavailable'],
  [Code.DEADLINE_EXCEEDED, 'DeadlineExceeded'],
  [Code.INVALID_ARGUMENT, 'InvalidArgument'],
  [Code.OUT_OF_RANGE, 'InvalidArgument'],
  [Code.UNIMPLEMENTED, 'Unimplemented'],
  [Code.FAILED_PRECONDITION, 'FailedPrecondition'],
]);

const CODE_BY_KIND: Record<CriErrorKind, Code> = {
  NotFound: Code.NOT_FOUND,
  AlreadyExists: Code.ALREADY_EXISTS,
  Unavailable: Code.UNAVAILABLE,
  DeadlineExceeded: Code.DEADLINE_EXCEEDED,
  InvalidArgument: Code.INVALID_ARGUMENT,
  Unimplemented: Code.UNIMPLEMENTED,
  FailedPrecondition: Code.FAILED_PRECONDITION,
  Unknown: Code.UNKNOWN,
};

/** The CriError kind for a gRPC status code (anything unlisted is Unknown). */
export function kindOfCode(code: number): CriErrorKind {
  return KIND_BY_CODE.get(code) ?? 'Unknown';
}

/** The gRPC status code a CriError kind is sent as. */
export function codeOfKind(kind: CriErrorKind): Code {
  return CODE_BY_KIND[kind];
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof Error && typeof (e as Partial<ServiceError>).code === 'number' && 'details' in e;
}

/**
 * Client side: a failed call as a CriError, `what` naming the call ("stop container abc"). The
 * runtime's own text (`details`) is kept in the message; the ServiceError is the cause.
 */
export function criErrorFromGrpc(e: unknown, what: string): CriError {
  if (e instanceof CriError) return e;
  if (isServiceError(e)) {
    const detail = e.details !== '' ? e.details : Code[e.code] ?? `code ${e.code}`;
    return new CriError(kindOfCode(e.code), `${what}: ${detail}`, { cause: e });
  }
  return new CriError('Unknown', `${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/**
 * Server side: the status an error thrown by a handler is answered with. A CriError keeps its
 * message under its kind's code; anything else is UNKNOWN with its message (containerd's way).
 */
export function grpcStatusFromError(e: unknown): Partial<StatusObject> & { code: Code; details: string } {
  if (e instanceof CriError) return { code: codeOfKind(e.kind), details: e.message, metadata: new Metadata() };
  const details = e instanceof Error ? e.message : String(e);
  return { code: Code.UNKNOWN, details, metadata: new Metadata() };
}
