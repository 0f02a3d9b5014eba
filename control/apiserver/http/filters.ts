/** labelSelector / fieldSelector query parameters turned into one object predicate. */
import type { KubeObject } from '../../api/object.js';
import { parseLabelSelector } from '../../api/labels.js';
import { fieldGetter, parseFieldSelector, validateFieldSelector } from '../../api/fields.js';

export type ObjectPredicate = (obj: KubeObject) => boolean;

export function objectFilter(kind: string, labelSelector?: string, fieldSelector?: string): ObjectPredicate | undefined {
  const ls = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fs = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (fs) validateFieldSelector(kind, fs);
  if (!ls && !fs) return undefined;
  return (obj) => {
    if (ls && !ls.matches(obj.metadata?.labels ?? {})) return false;
    if (fs && !fs.matches(fieldGetter(kind, obj))) return false;
    return true;
  };
}
