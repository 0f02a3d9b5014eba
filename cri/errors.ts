/** CRI errors: a kind callers branch on (never the message); backends translate at their edge. */
export type CriErrorKind = 'NotFound' | 'AlreadyExists' | 'Unavailable' | 'DeadlineExceeded' | 'InvalidArgument' | 'Unknown';

export class CriError extends Error {
  constructor(readonly kind: CriErrorKind, message: string, opts?: ErrorOptions) {
    super(message, opts);
    this.name = 'CriError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof CriError && e.kind === 'NotFound';
export const isCriError = (e: unknown, kind?: CriErrorKind): e is CriError => e instanceof CriError && (kind === undefined || e.kind === kind);
