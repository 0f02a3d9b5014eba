/** `crictl images [REPO]`: IMAGE, TAG, IMAGE ID, SIZE; -q prints IDs; --digests adds DIGEST; -o json|yaml. */
import type { Image } from '../../../cri/types.js';
import { outputFormat, parseArgs } from '../args.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { humanSize, renderTable, truncateId } from '../format.js';
import { imageJson, print } from '../proto-json.js';

const FLAGS: FlagSpec = {
  quiet: { kind: 'bool', short: 'q' }, output: { kind: 'value', short: 'o' }, digests: { kind: 'bool' }, 'no-trunc': { kind: 'bool' },
};

/** PURE. "repo:tag" → [repo, tag]; a port colon in the registry is not a tag separator. */
export function splitRepoTag(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, '<none>'];
}

/** crictl's imageByRef.Less: by first tag when both have tags, else by first digest when both have one, else by ID. */
export function imageLess(a: Image, b: Image): boolean {
  if (a.repoTags.length > 0 && b.repoTags.length > 0) return a.repoTags[0]! < b.repoTags[0]!;
  if (a.repoDigests.length > 0 && b.repoDigests.length > 0) return a.repoDigests[0]! < b.repoDigests[0]!;
  return a.id < b.id;
}

/**
 * PURE. The runtime's list in crictl's order. That Less is not transitive (tagged against untagged
 * images), so the order depends on the algorithm: this is Go's insertion sort, which sort.Sort
 * uses for up to 12 images; beyond that Go's pdqsort may place untagged images elsewhere.
 */
export function crictlImageOrder(images: readonly Image[]): Image[] {
  const a = [...images];
  for (let i = 1; i < a.length; i++) {
    for (let j = i; j > 0 && imageLess(a[j]!, a[j - 1]!); j--) [a[j], a[j - 1]] = [a[j - 1]!, a[j]!];
  }
  return a;
}

/** One row per tag (`<none>` rows for untagged images), as crictl lists them. */
export function imageRows(images: readonly Image[], opts: { digests: boolean; noTrunc: boolean }): string[][] {
  const rows: string[][] = [];
  const sorted = crictlImageOrder(images);
  for (const i of sorted) {
    const id = opts.noTrunc ? i.id : truncateId(i.id, 'sha256:');
    const digest = i.repoDigests[0]?.split('@')[1] ?? '<none>';
    const tags = i.repoTags.length > 0 ? i.repoTags.map(splitRepoTag) : [[i.repoDigests[0]?.split('@')[0] ?? '<none>', '<none>'] as [string, string]];
    for (const [repo, tag] of tags) {
      rows.push([repo, tag, ...(opts.digests ? [opts.noTrunc ? digest : truncateId(digest, 'sha256:')] : []), id, humanSize(i.size)]);
    }
  }
  return rows;
}

export const imagesCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, FLAGS);
  const format = outputFormat(p);
  const repo = p.positionals[0];
  const all = await ctx.runtime.listImages();
  const images = repo === undefined ? all : all.filter((i) => i.repoTags.some((t) => t === repo || splitRepoTag(t)[0] === repo));
  const { out } = ctx.io;
  if (format !== 'table') { out.write(print({ images: images.map(imageJson) }, format)); return 0; }
  if (p.has('quiet')) { for (const i of images) out.write(`${i.id}\n`); return 0; }
  const digests = p.has('digests');
  out.write(renderTable([
    ['IMAGE', 'TAG', ...(digests ? ['DIGEST'] : []), 'IMAGE ID', 'SIZE'],
    ...imageRows(images, { digests, noTrunc: p.has('no-trunc') }),
  ]));
  return 0;
};
