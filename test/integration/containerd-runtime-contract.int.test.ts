/**
 * RemoteRuntime (CRI v1 gRPC) against the runtime contract suite (test/conformance/runtime.ts), on
 * a private containerd with its CRI plugin (test/helpers/private-containerd.ts: own root, state,
 * socket and CNI conf, the test images imported into k8s.io). The suite's sandboxes use the host
 * network and write CRI log files under a per-run log root. The removable image is one only this
 * containerd has (tinykube/web:3: RemoveImage drops every tag of an image, so a throwaway tag of
 * busybox would take busybox with it); the pull case fetches a unique copy of busybox pushed to the
 * local docker-registry (CRI pulls plain HTTP from 127.0.0.1). afterAll stops containerd (which
 * removes its pods, dirs and bridge), deletes the pushed manifest and the log root.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { RemoteRuntime } from '../../cri/remote/remote-runtime.js';
import { describeRuntimeConformance, type RuntimeTarget } from '../conformance/runtime.js';
import { startPrivateContainerd, TEST_IMAGE_FILES } from '../helpers/private-containerd.js';
import { sh } from './docker-runtime.fixture.js';

const BUSYBOX = 'tinykube/busybox:1';
const REMOVABLE = 'tinykube/web:3';
const REGISTRY = '127.0.0.1:5000';
const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root (containerd, runc, mounts)';
  if (!(await sh('containerd', '--version').then(() => true, () => false))) return 'containerd is not installed (scripts/lib.sh ensure_containerd)';
  const missing = TEST_IMAGE_FILES.filter((f) => !existsSync(f));
  if (missing.length > 0) return `the test image archives are missing: ${missing.join(', ')} (tinykube image build-test)`;
  if (!(await sh('docker', 'image', 'inspect', BUSYBOX).then(() => true, () => false))) return `docker has no ${BUSYBOX} to push for the pull case`;
  const v2 = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
  if (v2 !== 200) return `the local docker-registry on ${REGISTRY} does not answer (scripts/test starts it: ensure_registry)`;
  return undefined;
}

async function containerdTarget(): Promise<RuntimeTarget> {
  const id = randomBytes(4).toString('hex');
  const name = `tk-rc-${id}`;
  console.log(`containerd runtime contract: starting private containerd ${name}`);
  const cd = await startPrivateContainerd({ name });
  const logRoot = await mkdtemp(join(tmpdir(), `${name}-logs-`));
  const pullableImage = `${REGISTRY}/${name}/busybox:1`;
  const runtime = new RemoteRuntime({ socketPath: cd.address });
  const deleteManifest = async (): Promise<void> => {
    const manifest = `http://${REGISTRY}/v2/${name}/busybox/manifests`;
    const head = await fetch(`${manifest}/1`, { method: 'HEAD', headers: { accept: MANIFEST_V2 } });
    const digest = head.headers.get('docker-content-digest');
    if (digest !== null) await fetch(`${manifest}/${digest}`, { method: 'DELETE' });
  };
  try {
    console.log(`containerd runtime contract: pushing ${pullableImage} for the pull case; logs under ${logRoot}`);
    await sh('docker', 'tag', BUSYBOX, pullableImage);
    await sh('docker', 'push', '-q', pullableImage);
    await sh('docker', 'rmi', pullableImage);
  } catch (err) {
    runtime.close();
    await cd.stop();
    await rm(logRoot, { recursive: true, force: true });
    throw err;
  }
  return {
    runtime, image: BUSYBOX, removableImage: REMOVABLE, pullableImage, logRoot,
    async cleanup() {
      console.log(`containerd runtime contract: stopping ${name}, removing ${logRoot} and the pushed manifest`);
      runtime.close();
      await cd.stop();
      await rm(logRoot, { recursive: true, force: true });
      await deleteManifest();
    },
  };
}

const reason = await skipReason();
if (reason !== undefined) console.warn(`containerd-runtime-contract.int.test.ts skipped: ${reason}`);

describe.skipIf(reason !== undefined)('RemoteRuntime on a private containerd (CRI v1 gRPC)', () => {
  describeRuntimeConformance('containerd', containerdTarget);
});
