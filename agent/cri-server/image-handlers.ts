/**
 * ImageService: list, status (a missing image is an empty answer, not an error), pull (cancelled
 * with the call), remove (idempotent), and the image filesystem: the backend's own report, else
 * the images' total size.
 */
import type { UntypedHandleCall } from '@grpc/grpc-js';
import { CriError } from '../../cri/errors.js';
import { authFromWire, filesystemUsageToWire, imageFilterFromWire, imageSpecFromWire, imageToWire } from '../../cri/grpc/convert.js';
import type { Maybe, WAuthConfig, WImageSpec } from '../../cri/grpc/wire.js';
import type { FilesystemUsage, Image, ImageSpec } from '../../cri/types.js';
import type { HandlerContext } from './context.js';
import { unary } from './unary.js';

interface ImageRequest { image?: Maybe<WImageSpec>; verbose?: boolean }

function requireImage(w: Maybe<WImageSpec>): ImageSpec {
  const spec = imageSpecFromWire(w);
  if (spec.image === '') throw new CriError('InvalidArgument', 'missing required image');
  return spec;
}

export function imageHandlers(ctx: HandlerContext): Record<string, UntypedHandleCall> {
  const { runtime, log } = ctx;
  /** Without the backend's own figure: the images' total size, mountpoint unknown (''). */
  const imagesUsage = async (): Promise<FilesystemUsage> => {
    const images = await runtime.listImages();
    return { timestamp: ctx.nowNs(), mountpoint: '', usedBytes: images.reduce((sum, i) => sum + i.size, 0) };
  };
  return {
    ListImages: unary('ListImages', log, async (r: { filter?: Maybe<{ image?: Maybe<WImageSpec> }> }) => {
      const images = await runtime.listImages(imageFilterFromWire(r.filter));
      return { images: images.map(imageToWire) };
    }),
    ImageStatus: unary('ImageStatus', log, async (r: ImageRequest) => {
      const spec = requireImage(r.image);
      let image: Image | undefined;
      let info: Record<string, string> = {};
      if (r.verbose === true && runtime.imageStatusVerbose) ({ image, info } = await runtime.imageStatusVerbose(spec));
      else image = await runtime.imageStatus(spec);
      return { image: image === undefined ? null : imageToWire(image), info };
    }),
    PullImage: unary('PullImage', log, async (r: ImageRequest & { auth?: Maybe<WAuthConfig> }, signal) => {
      const ref = await runtime.pullImage(requireImage(r.image), authFromWire(r.auth), signal);
      return { image_ref: ref };
    }),
    RemoveImage: unary('RemoveImage', log, async (r: ImageRequest) => {
      await runtime.removeImage(requireImage(r.image));
      return {};
    }),
    // crictl checks the image service with this call before any other (UNIMPLEMENTED would lock it out)
    ImageFsInfo: unary('ImageFsInfo', log, async () => {
      const filesystems: FilesystemUsage[] = runtime.imageFsInfo ? await runtime.imageFsInfo() : [await imagesUsage()];
      return { image_filesystems: filesystems.map(filesystemUsageToWire) };
    }),
  };
}
