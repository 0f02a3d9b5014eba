/** core/v1 PodTemplate (upstream ValidatePodTemplate / ValidatePodTemplateUpdate). */
import type { FieldError } from '../status.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { rec, type Obj } from './obj.js';
import { validatePodTemplateSpec } from './pod-spec.js';

export function validatePodTemplate(pt: Obj, old?: Obj): FieldError[] {
  const meta = old
    ? validateObjectMetaUpdate(rec(pt['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(pt['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain });
  return [...meta, ...validatePodTemplateSpec(pt['template'], 'template')];
}
