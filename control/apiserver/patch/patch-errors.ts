/**
 * Status errors for PATCH. Both mirror upstream apiserver answers (handlers/patch.go); the
 * concrete reason is kept as the error `cause` for logs.
 */
import type { ApiError } from '../../api/status.js';
import { rejectedRequest, tooLarge } from '../../api/status.js';

/**
 * Upstream's JSONPatchMaxCopyBytes: the encoded bytes all `copy` operations of one JSON patch may
 * add, the request body limit (3 MiB).
 */
export const JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024;

/** Upstream caps a JSON patch at this many operations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/**
 * 422 Invalid with the generic text upstream answers for a patch that cannot be applied
 * (a failed `test`, a missing path, lists of lists…): kubectl prints
 * `The request is invalid: the server rejected our request due to an error in our request`.
 */
export function patchRejected(detail: string): ApiError {
  return rejectedRequest({ cause: new Error(detail) });
}

/** 413 for a JSON patch longer than MAX_JSON_PATCH_OPERATIONS. */
export function tooManyPatchOperations(got: number): ApiError {
  return tooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${got}`);
}
