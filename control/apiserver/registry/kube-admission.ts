/** The real admission chain: upstream defaulting, validation, and OpenAPI unknown-field detection. */
import { applyDefaults } from '../../api/defaults/apply-defaults.js';
import { validate } from '../../api/validation/validate.js';
import { findUnknownFields } from '../openapi/unknown-fields.js';
import type { Admission } from './admission.js';

export const kubeAdmission: Admission = {
  applyDefaults: (kind, obj) => applyDefaults(kind, obj as Record<string, unknown>),
  validate: (kind, obj, old) => validate(kind, obj as Record<string, unknown>, old as Record<string, unknown> | undefined),
  unknownFields: (apiVersion, kind, obj) => findUnknownFields(apiVersion, kind, obj),
};
