/** The 400 the apiserver gives for unknown fields under fieldValidation=Strict. */
import type { ResourceInfo } from '../../api/resources.js';
import { badRequest } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';

export function strictDecodingError(ri: ResourceInfo, unknown: readonly string[]): ApiError {
  const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
  return badRequest(`${ri.kind} in version "${ri.version}" cannot be handled as a ${ri.kind}: strict decoding error: ${list}`);
}
