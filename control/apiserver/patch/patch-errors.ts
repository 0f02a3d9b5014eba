/**
 * Status errors for PATCH that have no factory in control/api/status.ts. Both mirror upstream
 * apiserver answers (handlers/patch.go); the concrete reason is kept as the error `cause` for logs.
 */
import { ApiError } from '../../api/status.js';

/** Upstream caps a JSON patch at this many operations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/**
 * 422 Invalid with the generic text upstream answers for a patch that cannot be applied
 * (a failed `test`, a missing path, lists of lists…): kubectl prints
 * `The request is invalid: the server rejected our request due to an error in our request`.
 */
export function patchRejected(detail: string): ApiError {
  return new ApiError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
    message: 'the server rejected our request due to an error in our request', details: {},
  }, { cause: new Error(detail) });
}

/** 413 for a JSON patch longer than MAX_JSON_PATCH_OPERATIONS. */
export function tooManyPatchOperations(got: number): ApiError {
  return new ApiError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'RequestEntityTooLarge', code: 413,
    message: `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${got}`,
  });
}
