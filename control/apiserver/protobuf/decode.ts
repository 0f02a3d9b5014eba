/**
 * decodeProtobufObject: turns a `application/vnd.kubernetes.protobuf` request body (the "k8s\0"
 * magic, then a runtime.Unknown envelope whose raw bytes hold the typed object) into the
 * object's JSON form. Every failure is a 400 BadRequest ApiError.
 */
import { badRequest } from '../../api/status.js';
import { convertMessage } from './convert.js';
import { UNKNOWN_TYPE, k8sRoot, lookupKind } from './schema.js';

const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const; // "k8s\0"

/** Upstream names the scheme by the file:line that created it. */
const SCHEME_NAME = 'pkg/api/legacyscheme/scheme.go:30';

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function decodeProtobufObject(body: Uint8Array): DecodedObject {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw badRequest('the body of the request is not a Kubernetes protobuf object: it does not start with the "k8s\\x00" prefix');
  }
  const unknownType = k8sRoot().lookupType(UNKNOWN_TYPE);
  let envelope: Record<string, unknown>;
  try {
    envelope = unknownType.decode(body.subarray(MAGIC.length)) as unknown as Record<string, unknown>;
  } catch (err) {
    throw badRequest(`unable to decode the protobuf envelope (runtime.Unknown): ${errText(err)}`);
  }
  const typeMeta = isRecord(envelope['typeMeta']) ? envelope['typeMeta'] : {};
  const apiVersion = typeof typeMeta['apiVersion'] === 'string' ? typeMeta['apiVersion'] : '';
  const kind = typeof typeMeta['kind'] === 'string' ? typeMeta['kind'] : '';
  if (!kind) throw badRequest('Object \'Kind\' is missing in the protobuf body');
  const encoding = envelope['contentEncoding'];
  if (typeof encoding === 'string' && encoding !== '') {
    throw badRequest(`unsupported content encoding "${encoding}" in the protobuf body`);
  }
  const type = lookupKind(apiVersion, kind);
  if (!type) {
    throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "${SCHEME_NAME}"`);
  }
  const raw = envelope['raw'] instanceof Uint8Array ? envelope['raw'] : new Uint8Array(0);
  let converted: unknown;
  try {
    const msg = type.decode(raw) as unknown as Record<string, unknown>;
    converted = convertMessage(type, msg);
  } catch (err) {
    throw badRequest(`unable to decode ${kind} from the protobuf body: ${errText(err)}`);
  }
  const fields = isRecord(converted) ? converted : {};
  return { apiVersion, kind, object: { apiVersion, kind, ...fields } };
}
