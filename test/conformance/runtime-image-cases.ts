/** Conformance: image status, list, remove (idempotent) and, where the backend can pull offline, pull. */
import { expect, it } from 'vitest';
import { sameImageRef } from './runtime-cases.js';
import type { RuntimeRun } from './runtime-cases.js';

export function imageCases(run: RuntimeRun): void {
  const t = () => run.target();

  it('imageStatus describes a present image and is undefined for an absent one', async () => {
    const st = await t().runtime.imageStatus({ image: t().image });
    expect(st?.id).toBeTruthy();
    expect(st?.repoTags.some((r) => sameImageRef(r, t().image)), `${t().image} in ${st?.repoTags.join(', ')}`).toBe(true);
    expect(await t().runtime.imageStatus({ image: `tk-conformance-${run.id}/absent:1` })).toBeUndefined();
  });

  it('listImages lists present images and filters by image', async () => {
    const st = await t().runtime.imageStatus({ image: t().image });
    expect((await t().runtime.listImages()).map((i) => i.id)).toContain(st?.id);
    const filtered = await t().runtime.listImages({ image: { image: t().image } });
    expect(filtered.map((i) => i.id)).toEqual([st?.id]);
    expect(await t().runtime.listImages({ image: { image: `tk-conformance-${run.id}/absent:1` } })).toEqual([]);
  });

  it('removeImage removes the image; removing it again succeeds', async () => {
    const image = { image: t().removableImage };
    expect(await t().runtime.imageStatus(image)).toBeDefined();
    await t().runtime.removeImage(image);
    expect(await t().runtime.imageStatus(image)).toBeUndefined();
    await t().runtime.removeImage(image);
  });

  it('pullImage makes the image present and returns its ref', async (ctx) => {
    const pullable = t().pullableImage;
    if (pullable === undefined) { ctx.skip(); return; }
    const ref = await t().runtime.pullImage({ image: pullable });
    expect(ref).not.toBe('');
    const tags = (await t().runtime.imageStatus({ image: pullable }))?.repoTags ?? [];
    expect(tags.some((r) => sameImageRef(r, pullable)), `${pullable} in ${tags.join(', ')}`).toBe(true);
  });
}
