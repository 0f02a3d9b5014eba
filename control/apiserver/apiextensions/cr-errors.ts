/** The errors only custom resources answer with. */
import { ApiError } from '../../api/status.js';

/** 415 for a strategic merge patch of a custom resource, upstream's wording. */
export function failure415(): ApiError {
  return new ApiError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 415, reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  });
}
