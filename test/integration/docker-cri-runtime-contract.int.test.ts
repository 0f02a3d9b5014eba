/**
 * The runtime contract suite through a Docker node's CRI socket: DockerRuntime served by the
 * agent's CRI v1 server (agent/cri-server) on a temp unix socket, driven by RemoteRuntime — the
 * path crictl and critest take on a Docker node. Sandboxes get a log directory (the server hands
 * out the log path Docker's log is linked to). cleanup(): the client, the server and its socket,
 * then the Docker target's own cleanup (docker-runtime-target.ts) and the temp dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { startCriServer } from '../../agent/cri-server/cri-server.js';
import { silentLogger } from '../../control/util/log.js';
import { RemoteRuntime } from '../../cri/remote/remote-runtime.js';
import { describeRuntimeConformance, type RuntimeTarget } from '../conformance/runtime.js';
import { dockerContractSkipReason, dockerContractTarget } from './docker-runtime-target.js';

async function criSocketTarget(): Promise<RuntimeTarget> {
  const docker = await dockerContractTarget();
  const dir = await mkdtemp(join(tmpdir(), 'tk-cri-contract-'));
  const socketPath = join(dir, 'cri.sock');
  console.log(`docker through cri.sock: serving on ${socketPath}, logs under ${dir}/logs`);
  const server = await startCriServer({ socketPath, runtime: docker.runtime, log: silentLogger() });
  const runtime = new RemoteRuntime({ socketPath });
  return {
    runtime, image: docker.image, removableImage: docker.removableImage, logRoot: join(dir, 'logs'),
    ...(docker.pullableImage === undefined ? {} : { pullableImage: docker.pullableImage }),
    async cleanup() {
      runtime.close();
      await server.close();
      try {
        await docker.cleanup();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

const reason = await dockerContractSkipReason();
if (reason !== undefined) console.warn(`docker-cri-runtime-contract.int.test.ts skipped: ${reason}`);

describe.skipIf(reason !== undefined)('RemoteRuntime through a Docker node\'s CRI socket (agent/cri-server over DockerRuntime)', () => {
  describeRuntimeConformance('docker via cri.sock', criSocketTarget);
});
