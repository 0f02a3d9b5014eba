/** The FakeRuntime's image store: present images, pulls that fail or take time on request. */
import { CriError } from '../errors.js';
import type { AuthConfig, Image, ImageFilter, ImageService, ImageSpec } from '../types.js';

export class FakeImages implements ImageService {
  readonly images = new Map<string, Image>();
  private readonly pullFailures = new Map<string, string>();
  pullDelayMs = 0;

  constructor(private readonly calls: string[]) {}

  /** `user`: the image's USER as CRI reports it (uid or username; absent: unset, root). */
  add(ref: string, user: Pick<Image, 'uid' | 'username'> = {}): void {
    this.images.set(ref, { id: `sha256:${Buffer.from(ref).toString('hex').padEnd(64, '0').slice(0, 64)}`, repoTags: [ref], repoDigests: [], size: 1024, ...user });
  }
  failPull(ref: string, message: string): void { this.pullFailures.set(ref, message); }
  allowPull(ref: string): void { this.pullFailures.delete(ref); }

  async listImages(filter: ImageFilter = {}): Promise<Image[]> {
    return [...this.images.values()].filter((i) => !filter.image || i.repoTags.includes(filter.image.image)).map((i) => structuredClone(i));
  }

  /** By reference or by ID (the imageRef pullImage returned), as real runtimes take both. */
  async imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const i = this.images.get(image.image) ?? [...this.images.values()].find((x) => x.id === image.image);
    return i ? structuredClone(i) : undefined;
  }

  async pullImage(image: ImageSpec, _auth?: AuthConfig, _signal?: AbortSignal): Promise<string> {
    this.calls.push(`pullImage ${image.image}`);
    if (this.pullDelayMs) await new Promise((res) => setTimeout(res, this.pullDelayMs));
    const fail = this.pullFailures.get(image.image);
    if (fail !== undefined) throw new CriError('Unknown', `pull image "${image.image}": ${fail}`);
    if (!this.images.has(image.image)) this.add(image.image);
    return this.images.get(image.image)!.id;
  }

  async removeImage(image: ImageSpec): Promise<void> { this.images.delete(image.image); }
}
