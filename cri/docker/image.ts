/** ImageService on Docker: list, status (undefined when absent), pull (progress consumed), remove. */
import type Docker from 'dockerode';
import { CriError } from '../errors.js';
import type { AuthConfig, Image, ImageFilter, ImageSpec } from '../types.js';
import { docker as call, dockerIdempotent, dockerStatus, translateDockerError } from './errors.js';
import { readJsonLines } from './json-lines.js';

export async function listImages(d: Docker, filter?: ImageFilter): Promise<Image[]> {
  if (filter?.image !== undefined) {
    const one = await imageStatus(d, filter.image);
    return one === undefined ? [] : [one];
  }
  const infos = await call('list images', () => d.listImages());
  return infos.map((i) => ({ id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], size: i.Size }));
}

export async function imageStatus(d: Docker, image: ImageSpec): Promise<Image | undefined> {
  try {
    const i = await d.getImage(image.image).inspect();
    return { id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], size: i.Size };
  } catch (e) {
    if (dockerStatus(e) === 404) return undefined;
    throw translateDockerError(e, `inspect image ${image.image}`);
  }
}

/**
 * Pulls and returns the image ID (the imageRef). The progress stream is read to its end; an
 * `error` record in it fails the pull. A registry "not found" (HTTP 404) becomes NotFound.
 */
export async function pullImage(d: Docker, image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal): Promise<string> {
  const what = `pull image ${image.image}`;
  signal?.throwIfAborted();
  const opts = auth === undefined ? {} : { authconfig: { ...auth } };
  const stream = await call(what, () => d.pull(image.image, opts));
  const onAbort = (): void => { (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const rec of readJsonLines(stream)) {
      const err = (rec as { error?: unknown }).error;
      if (typeof err === 'string') throw new CriError('Unknown', `${what}: ${err}`);
    }
  } catch (e) {
    if (signal?.aborted === true) throw new CriError('DeadlineExceeded', `${what}: aborted`, { cause: e });
    throw translateDockerError(e, what);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const status = await imageStatus(d, image);
  if (status === undefined) throw new CriError('NotFound', `${what}: image absent after pull`);
  return status.id;
}

/** Idempotent: removing an absent image succeeds. */
export async function removeImage(d: Docker, image: ImageSpec): Promise<void> {
  await dockerIdempotent(`remove image ${image.image}`, () => d.getImage(image.image).remove());
}

/** Pulls `image` unless it is present (PullIfNotPresent); returns its ID. */
export async function ensureImage(d: Docker, image: string): Promise<string> {
  const present = await imageStatus(d, { image });
  return present?.id ?? pullImage(d, { image });
}
