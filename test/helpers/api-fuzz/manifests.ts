/** Mutated manifests for the real kubectl: the same mutations the request fuzzer makes, written as YAML files. */
import { stringify as toYaml } from 'yaml';
import { FUZZ_KINDS, FUZZ_NAMESPACE } from './kinds.js';
import type { Json } from './mutate.js';
import { mutateObject, mutateText } from './mutate.js';
import { Rng } from './rng.js';

export interface ManifestCase { n: number; verb: 'apply' | 'create'; resource: string; /** The kind's namespace, for -n. */ namespace: string; yaml: string }

/** Manifest case `n` of a seed (drawn apart from the request cases by an offset). */
export function manifestCase(seed: number, n: number): ManifestCase {
  const rng = Rng.forCase(seed ^ 0x5bd1e995, n);
  const k = rng.pick(FUZZ_KINDS.filter((x) => !x.createOnly));
  const valid = k.valid(`fzk-${n}-${k.resource.slice(0, 20)}`) as Json;
  // one mutation at most: kubectl refuses most broken manifests itself, and some should reach the server
  const obj = rng.chance(0.2) ? valid : mutateObject(rng, valid, 1);
  let yaml: string;
  // YAML 1.1 as kubectl's reader takes it: "yes" and "on" are quoted, else they would be booleans
  try { yaml = toYaml(obj, { version: '1.1' }); } catch { yaml = JSON.stringify(obj); } // YAML could not write it: JSON is YAML too
  if (rng.chance(0.05)) yaml = mutateText(rng, yaml);
  return { n, verb: rng.chance(0.5) ? 'apply' : 'create', resource: k.resource, namespace: k.namespace ?? FUZZ_NAMESPACE, yaml };
}
