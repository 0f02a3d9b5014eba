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

/** One row per tag (`<none>` rows for untagged images), as crictl lists them. */
export function imageRows(images: readonly Image[], opts: { digests: boolean; noTrunc: boolean }): string[][] {
  const rows: string[][] = [];
  const sorted = [...images].sort((a, b) => (a.repoTags[0] ?? '').localeCompare(b.repoTags[0] ?? ''));
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
