/**
 * Loading image archives into a runtime without a registry: Docker through its API
 * (POST /images/load over the unix socket), containerd through `ctr images import`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { isExecError } from '../../lib/exec/exec-error.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { CriError } from '../errors.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** One JSON message of docker's load progress stream. */
interface LoadMessage { stream?: string; error?: string; errorDetail?: { message?: string } }

/** PURE. Turns docker's newline-separated JSON messages into the loaded refs, or throws the error. */
export function parseLoadResponse(body: string): string[] {
  const loaded: string[] = [];
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue;
    let msg: LoadMessage;
    try {
      msg = JSON.parse(line) as LoadMessage;
    } catch {
      continue; // a non-JSON line carries no result; docker only sends them on very old versions
    }
    if (msg.error !== undefined || msg.errorDetail?.message !== undefined) {
      throw new CriError('InvalidArgument', `load image: ${msg.errorDetail?.message ?? msg.error ?? 'unknown error'}`);
    }
    const m = /^Loaded image(?: ID)?: (\S+)/.exec(msg.stream?.trim() ?? '');
    if (m?.[1] !== undefined) loaded.push(m[1]);
  }
  return loaded;
}

/**
 * Loads a docker-archive tar into Docker. Returns what Docker reports as loaded
 * ("tinykube/web:1", or "sha256:…" for an untagged image). Loading the same archive again is harmless.
 */
export async function importIntoDocker(path: string, socketPath: string = DEFAULT_DOCKER_SOCKET): Promise<string[]> {
  const size = (await stat(path).catch((err: unknown) => {
    throw new CriError('InvalidArgument', `load image: ${path}: ${(err as Error).message}`, { cause: err });
  })).size;
  const body = await new Promise<string>((resolve, reject) => {
    const req = request({
      socketPath,
      method: 'POST',
      path: '/images/load?quiet=1',
      headers: { 'Content-Type': 'application/x-tar', 'Content-Length': size },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 400) {
          let message = text.trim();
          try { message = (JSON.parse(text) as { message?: string }).message ?? message; } catch { /* keep raw text */ }
          reject(new CriError('InvalidArgument', `load image ${path}: docker: ${message}`));
          return;
        }
        resolve(text);
      });
    });
    req.on('error', (err) => reject(new CriError('Unavailable', `load image: docker at ${socketPath}: ${err.message}`, { cause: err })));
    const file = createReadStream(path);
    file.on('error', (err) => { req.destroy(); reject(new CriError('InvalidArgument', `load image: ${path}: ${err.message}`, { cause: err })); });
    file.pipe(req);
  });
  return parseLoadResponse(body);
}

/** PURE. The refs `ctr images import` reports ("unpacking docker.io/tinykube/web:1 (sha256:…)...done"). */
export function parseCtrImportOutput(stdout: string): string[] {
  const refs: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^unpacking (\S+) \(sha256:[0-9a-f]+\)/.exec(line.trim());
    if (m?.[1] !== undefined) refs.push(m[1]);
  }
  return refs;
}

/** How long ctr may take to reach containerd's socket (its own default waits 10 s on a dead one). */
const CTR_CONNECT_TIMEOUT = '5s';

/**
 * Imports an OCI-layout tar into containerd (namespace k8s.io by default, as the CRI plugin uses).
 * Returns the refs loaded (docker.io/… names). A socket nothing answers on is CriError 'Unavailable'.
 */
export async function importIntoContainerd(path: string, address: string, namespace = 'k8s.io'): Promise<string[]> {
  try {
    const { stdout } = await new ProcessRunner().run('ctr', ['--connect-timeout', CTR_CONNECT_TIMEOUT, '-a', address, '-n', namespace, 'images', 'import', path]);
    return parseCtrImportOutput(stdout);
  } catch (err) {
    if (isExecError(err) && err.code === 'NotFound') throw new CriError('Unavailable', 'import image: ctr not found (install containerd)', { cause: err });
    const detail = isExecError(err) && err.stderr.trim() !== '' ? err.stderr.trim() : err instanceof Error ? err.message : String(err);
    const kind = /failed to dial/.test(detail) ? 'Unavailable' : 'Unknown';
    throw new CriError(kind, `import image ${path} into containerd at ${address}: ${detail.replace(/^ctr: /, '')}`, { cause: err });
  }
}
