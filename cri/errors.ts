/** CRI errors: a kind callers branch on (never the message); backends translate at their edge. */
/**
 * Unimplemented: the runtime does not serve this call (gRPC UNIMPLEMENTED; feature detection).
 * FailedPrecondition: the object is in the wrong state for the call (e.g. exec in a stopped container).
 */
export type CriErrorKind = 'NotFound' | 'AlreadyExists' | 'Unavailable' | 'DeadlineExceeded' | 'InvalidArgument'
  | 'Unimplemented' | 'FailedPrecondition' | 'Unknown';

export class CriError extends Error {
  constructor(readonly kind: CriErrorKind, message: string, opts?: ErrorOptions) {
    super(message, opts);
    this.name = 'CriError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof CriError && e.kind === 'NotFound';
export const isCriError = (e: unknown, kind?: CriErrorKind): e is CriError => e instanceof CriError && (kind === undefined || e.kind === kind);
