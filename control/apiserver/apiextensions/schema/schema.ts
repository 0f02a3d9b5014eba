/**
 * The OpenAPI v3 schema of a CustomResourceDefinition version (apiextensions.k8s.io/v1
 * JSONSchemaProps) as the schema helpers read it, with the Kubernetes extensions kubernetes-types
 * leaves out. Schemas come from stored JSON: every field is optional and read defensively.
 */

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema | Schema[];
  required?: string[];
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  multipleOf?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [key: string]: unknown;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one schema of `items` (a list of schemas is not structural and is read as none). */
export const itemsOf = (s: Schema): Schema | undefined => (isPlainObject(s.items) ? s.items : undefined);

/** The schema of map values, when additionalProperties is a schema. */
export const additionalOf = (s: Schema): Schema | undefined => (isPlainObject(s.additionalProperties) ? s.additionalProperties as Schema : undefined);

/** Whether unknown fields under this node are kept. */
export const preservesUnknown = (s: Schema): boolean => s['x-kubernetes-preserve-unknown-fields'] === true;
