/** Images, image filters and registry credentials: contract ↔ wire. */
import type { AuthConfig, Image, ImageFilter, ImageSpec } from '../types.js';
import { compact, i64, list, num, optStr, optTrue, unwrap64, wrap64 } from './convert-values.js';
import type { Maybe, WAuthConfig, WImage, WImageSpec } from './wire.js';

export const imageSpecToWire = (s: ImageSpec): WImageSpec => ({ image: s.image, annotations: {} });
export const imageSpecFromWire = (w: Maybe<WImageSpec>): ImageSpec => ({ image: w?.image ?? '' });

export const imageToWire = (i: Image): WImage => ({
  id: i.id, repo_tags: [...i.repoTags], repo_digests: [...i.repoDigests], size: i64(i.size),
  uid: wrap64(i.uid), username: i.username ?? '', pinned: i.pinned ?? false,
});
export const imageFromWire = (w: WImage): Image => ({
  id: w.id ?? '', repoTags: list(w.repo_tags), repoDigests: list(w.repo_digests), size: num(w.size),
  ...compact({ uid: unwrap64(w.uid), username: optStr(w.username), pinned: optTrue(w.pinned) }),
});

export const imageFilterToWire = (f: ImageFilter | undefined): { image?: WImageSpec } | undefined =>
  f === undefined ? undefined : { image: f.image === undefined ? undefined : imageSpecToWire(f.image) };
/** An empty image name on the wire is no filter (crictl sends one). */
export function imageFilterFromWire(w: Maybe<{ image?: Maybe<WImageSpec> }>): ImageFilter | undefined {
  const image = optStr(w?.image?.image);
  return image === undefined ? undefined : { image: { image } };
}

export const authToWire = (a: AuthConfig | undefined): WAuthConfig | undefined =>
  a === undefined ? undefined : {
    username: a.username ?? '', password: a.password ?? '', auth: a.auth ?? '',
    server_address: a.serverAddress ?? '', identity_token: a.identityToken ?? '', registry_token: a.registryToken ?? '',
  };
export const authFromWire = (w: Maybe<WAuthConfig>): AuthConfig | undefined =>
  w === null || w === undefined ? undefined : compact<AuthConfig>({
    username: optStr(w.username), password: optStr(w.password), auth: optStr(w.auth),
    serverAddress: optStr(w.server_address), identityToken: optStr(w.identity_token), registryToken: optStr(w.registry_token),
  }) ?? {};
