/**
 * The Status an exec/attach session ends with, written to the error channel (WebSocket channel 3,
 * SPDY `error` stream). kubectl turns NonZeroExitCode into `command terminated with exit code N`
 * and exits with N; any other Failure prints its message.
 */
import type { Status } from 'kubernetes-types/meta/v1.js';

export const SUCCESS_STATUS: Status = { metadata: {}, status: 'Success' };

export function exitStatus(exitCode: number): Status {
  if (exitCode === 0) return SUCCESS_STATUS;
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function failureStatus(message: string): Status {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A failure to start or run the session, as the Status the client prints. */
export function errorStatus(err: unknown): Status {
  return failureStatus(messageOf(err));
}
