/**
 * Loads tinykube's CRI v1 proto (api.proto beside this file's source) once per process and hands
 * out what grpc-js needs: client constructors for a CRI client and ServiceDefinitions for a CRI
 * server. Messages are plain objects with the proto's snake_case names; int64/uint64 arrive as
 * decimal strings, enums as their names, unset scalars as defaults (see convert.ts).
 *
 * The .proto is not compiled by tsc: from dist/cri/grpc/load.js it is found in the source tree
 * (dist sits inside the checkout), from cri/grpc/load.ts (vitest, tsx) right beside the file.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeClientConstructor, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

export const CRI_PACKAGE = 'runtime.v1';
export const RUNTIME_SERVICE = `${CRI_PACKAGE}.RuntimeService`;
export const IMAGE_SERVICE = `${CRI_PACKAGE}.ImageService`;

/** The proto-loader options every CRI peer in tinykube uses (client and server must agree). */
export const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true } as const;

export interface CriServices {
  runtimeService: ServiceDefinition;
  imageService: ServiceDefinition;
  RuntimeServiceClient: ServiceClientConstructor;
  ImageServiceClient: ServiceClientConstructor;
}

let cached: CriServices | undefined;

/** The path of api.proto, wherever this module runs from. */
export function criProtoPath(): string {
  const candidates = [new URL('./api.proto', import.meta.url), new URL('../../../cri/grpc/api.proto', import.meta.url)];
  for (const c of candidates) {
    const p = fileURLToPath(c);
    if (existsSync(p)) return p;
  }
  throw new Error(`load cri proto: api.proto not found (looked at ${candidates.map((c) => fileURLToPath(c)).join(', ')})`);
}

function serviceOf(pkg: PackageDefinition, name: string): ServiceDefinition {
  const def = pkg[name];
  // Message and enum definitions carry a `format`; services are method maps, the shape grpc-js takes.
  if (def === undefined || 'format' in def) throw new Error(`load cri proto: service ${name} missing`);
  return def as unknown as ServiceDefinition;
}

/** Loads (once) and returns the CRI services. Throws when the .proto is missing or malformed (a build bug). */
export function loadCriServices(): CriServices {
  if (cached !== undefined) return cached;
  const pkg = loadSync(criProtoPath(), { ...LOADER_OPTIONS });
  const runtimeService = serviceOf(pkg, RUNTIME_SERVICE);
  const imageService = serviceOf(pkg, IMAGE_SERVICE);
  cached = {
    runtimeService,
    imageService,
    RuntimeServiceClient: makeClientConstructor(runtimeService, 'RuntimeService'),
    ImageServiceClient: makeClientConstructor(imageService, 'ImageService'),
  };
  return cached;
}
