/**
 * Admission as the generic handler sees it: defaulting, validation and strict field checking.
 * The per-kind rules live in control/api/defaults, control/api/validation and the OpenAPI module.
 */
import type { FieldError } from '../../api/status.js';
import type { KubeObject } from '../../api/object.js';

export interface Admission {
  applyDefaults(kind: string, obj: KubeObject): void;
  validate(kind: string, obj: KubeObject, old?: KubeObject): FieldError[];
  /** Paths of fields the schema does not declare, e.g. `spec.containers[0].foo`. */
  unknownFields(apiVersion: string, kind: string, obj: unknown): string[];
}
