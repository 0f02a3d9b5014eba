/** ConfigMap and Secret validation (core ValidateConfigMap / ValidateSecret and their updates). */
import type { FieldError } from '../status.js';
import { forbidden, immutable, invalid, required, tooLong } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isConfigMapKey, nameIsDNSSubdomain } from './names.js';
import { deepEqual, rec, str, type Obj } from './obj.js';

export const MAX_SECRET_SIZE = 1024 * 1024;

const metaFor = (o: Obj, old?: Obj): FieldError[] => (old
  ? validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']))
  : validateObjectMeta(rec(o['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain }));

function validateConfigMapBody(cm: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data = rec(cm['data']) ?? {};
  const binary = rec(cm['binaryData']) ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...isConfigMapKey(k).map((m) => invalid(`data[${k}]`, k, m)));
    if (Object.hasOwn(binary, k)) errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(str(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...isConfigMapKey(k).map((m) => invalid(`binaryData[${k}]`, k, m)));
    size += Buffer.from(str(v), 'base64').length;
  }
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('', MAX_SECRET_SIZE));
  return errs;
}

function immutableData(o: Obj, old: Obj, fields: readonly string[]): FieldError[] {
  if (old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (o['immutable'] !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!deepEqual(o[f] ?? {}, old[f] ?? {})) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateConfigMap(cm: Obj, old?: Obj): FieldError[] {
  return [...metaFor(cm, old), ...(old ? immutableData(cm, old, ['data', 'binaryData']) : []), ...validateConfigMapBody(cm)];
}

function validateSecretBody(secret: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data = rec(secret['data']) ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...isConfigMapKey(k).map((m) => invalid(`data[${k}]`, k, m)));
    size += Buffer.from(str(v), 'base64').length;
  }
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE));
  const has = (k: string): boolean => Object.hasOwn(data, k);
  const validJSON = (k: string): void => {
    try {
      JSON.parse(Buffer.from(str(data[k]), 'base64').toString('utf8'));
    } catch (e) {
      // the decode failure is the validation result
      errs.push(invalid(`data[${k}]`, '<secret contents redacted>', e instanceof Error ? e.message : String(e)));
    }
  };
  switch (str(secret['type'])) {
    case 'kubernetes.io/service-account-token':
      if (!str(rec(rec(secret['metadata'])?.['annotations'])?.['kubernetes.io/service-account.name'])) {
        errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg':
      if (!has('.dockercfg')) errs.push(required('data[.dockercfg]'));
      else validJSON('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      if (!has('.dockerconfigjson')) errs.push(required('data[.dockerconfigjson]'));
      else validJSON('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required('data[username]'), required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!str(data['ssh-privatekey'])) errs.push(required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required('data[tls.crt]'));
      if (!has('tls.key')) errs.push(required('data[tls.key]'));
      break;
    default:
      break;
  }
  return errs;
}

export function validateSecret(secret: Obj, old?: Obj): FieldError[] {
  const errs = metaFor(secret, old);
  if (old) {
    if (str(secret['type']) !== str(old['type'])) errs.push(immutable('type', str(secret['type'])));
    errs.push(...immutableData(secret, old, ['data']));
  }
  return [...errs, ...validateSecretBody(secret)];
}
