/**
 * DockerRuntime against the runtime contract suite (test/conformance/runtime.ts), on the real
 * dockerd (the target: docker-runtime-target.ts).
 */
import { describe } from 'vitest';
import { describeRuntimeConformance } from '../conformance/runtime.js';
import { dockerContractSkipReason, dockerContractTarget } from './docker-runtime-target.js';

const reason = await dockerContractSkipReason();
if (reason !== undefined) console.warn(`docker-runtime-contract.int.test.ts skipped: ${reason}`);

describe.skipIf(reason !== undefined)('DockerRuntime (real dockerd, local test images)', () => {
  describeRuntimeConformance('docker', dockerContractTarget);
});
