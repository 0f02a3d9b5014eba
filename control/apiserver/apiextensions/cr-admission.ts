/**
 * Admission for the apiextensions kinds, layered over the built-in chain: the
 * CustomResourceDefinition kind's defaulting and validation, and for custom resources the schema's
 * pruning (reported as unknown fields, so Strict refuses them and Warn/Ignore drop them),
 * defaulting and validation plus ObjectMeta validation. Everything else goes to `base`.
 */
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { FieldError } from '../../api/status.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../api/validation/meta.js';
import { nameIsDNSSubdomain } from '../../api/validation/names.js';
import type { Obj } from '../../api/validation/obj.js';
import type { Admission } from '../registry/admission.js';
import { defaultCrd } from './crd-defaults.js';
import { validateCrd } from './crd-validation.js';
import type { CustomResourceRegistry } from './custom-resource-registry.js';
import { applySchemaDefaults } from './schema/defaults.js';
import { unknownFieldPaths } from './schema/prune.js';
import { validateValue } from './schema/validate-value.js';

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
const isCrd = (kind: string, obj: KubeObject): boolean => kind === 'CustomResourceDefinition' && (obj.apiVersion ?? CRD_API_VERSION) === CRD_API_VERSION;

export function withApiExtensions(base: Admission, crs: CustomResourceRegistry): Admission {
  return {
    applyDefaults(kind, obj) {
      if (isCrd(kind, obj)) return defaultCrd(obj as unknown as CustomResourceDefinition);
      const cr = crs.byKind(obj.apiVersion, kind);
      if (cr) return applySchemaDefaults(cr.schema, obj);
      return base.applyDefaults(kind, obj);
    },
    ...(base.admit ? {
      admit: async (obj: KubeObject, attrs: Parameters<NonNullable<Admission['admit']>>[1]) => {
        if (crs.forResource(attrs.ri)) return; // the built-in admission plugins know nothing of custom resources
        await base.admit?.(obj, attrs);
      },
    } : {}),
    validate(kind, obj, old) {
      if (isCrd(kind, obj)) return validateCrd(obj as unknown as CustomResourceDefinition, old as unknown as CustomResourceDefinition | undefined);
      const cr = crs.byKind(obj.apiVersion, kind);
      if (!cr) return base.validate(kind, obj, old);
      const errs: FieldError[] = old
        ? validateObjectMetaUpdate(obj.metadata as Obj | undefined, old.metadata as Obj | undefined)
        : validateObjectMeta(obj.metadata as Obj | undefined, { namespaced: cr.ri.namespaced, nameFn: nameIsDNSSubdomain });
      return [...errs, ...validateValue(cr.schema, obj)];
    },
    unknownFields(apiVersion, kind, obj) {
      const cr = crs.byKind(apiVersion, kind);
      if (cr) return unknownFieldPaths(cr.schema, obj);
      return base.unknownFields(apiVersion, kind, obj);
    },
  };
}
