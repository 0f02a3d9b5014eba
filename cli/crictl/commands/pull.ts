/** `crictl pull IMAGE` ("Image is up to date for <ref>") and `crictl rmi IMAGE…` ("Deleted: <tag>"). */
import { parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { resolveImage } from '../resolve.js';

const PULL_FLAGS: FlagSpec = { creds: { kind: 'value' }, auth: { kind: 'value' } };
const RMI_FLAGS: FlagSpec = { all: { kind: 'bool', short: 'a' }, prune: { kind: 'bool', short: 'q' } };

export const pullCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, PULL_FLAGS);
  const [image, extra] = p.positionals;
  if (image === undefined) throw new UsageError('image name cannot be empty');
  if (extra !== undefined) throw new UsageError(`pull takes one image, got also "${extra}"`);
  const creds = p.value('creds');
  const colon = creds?.indexOf(':') ?? -1;
  const auth = creds !== undefined && colon > 0 ? { username: creds.slice(0, colon), password: creds.slice(colon + 1) }
    : p.value('auth') !== undefined ? { auth: p.value('auth')! } : undefined;
  const ref = await ctx.runtime.pullImage({ image }, auth, ctx.signal);
  ctx.io.out.write(`Image is up to date for ${ref}\n`);
  return 0;
};

export const rmiCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, RMI_FLAGS);
  const rt = ctx.runtime;
  if (p.has('all') || p.has('prune')) {
    const used = new Set((await rt.listContainers()).flatMap((c) => [c.imageRef, c.image.image]));
    for (const i of await rt.listImages()) {
      if (p.has('prune') && (used.has(i.id) || i.repoTags.some((t) => used.has(t)))) continue;
      await rt.removeImage({ image: i.id });
      ctx.io.out.write(`Deleted: ${i.repoTags[0] ?? i.id}\n`);
    }
    return 0;
  }
  if (p.positionals.length === 0) throw new UsageError('no image specified');
  for (const ref of p.positionals) {
    const img = await resolveImage(rt, ref);
    const byTag = img.repoTags.includes(ref) ? [ref] : img.repoTags.includes(`${ref}:latest`) ? [`${ref}:latest`] : undefined;
    if (byTag !== undefined) await rt.removeImage({ image: byTag[0]! });
    else await rt.removeImage({ image: img.id });
    for (const t of byTag ?? (img.repoTags.length > 0 ? img.repoTags : [img.id])) ctx.io.out.write(`Deleted: ${t}\n`);
  }
  return 0;
};
