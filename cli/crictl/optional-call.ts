/**
 * The CRI calls beyond the contract (status, verbose statuses, stats lists) are optional twice:
 * a runtime object may lack the method, and a CRI server may answer UNIMPLEMENTED. Either way the
 * command falls back to what the contract has.
 */
import { isCriError } from '../../cri/errors.js';

/** The call's answer, or undefined when `call` is absent or the runtime does not implement it. */
export async function optionalCall<T>(call: (() => Promise<T>) | undefined): Promise<T | undefined> {
  if (call === undefined) return undefined;
  try {
    return await call();
  } catch (e) {
    if (isCriError(e, 'Unimplemented')) return undefined;
    throw e;
  }
}
