/**
 * The flags of tinykube's own commands: --name value, --name=value, --bool; positionals kept in
 * order. (crictl's commands keep crictl's grammar, with short and bundled flags: crictl/args.ts.)
 * Every command line mistake is a UsageError: main.ts prints it with a hint and exits 2.
 */
import { parseRuntimeEndpoint, type RuntimeEndpoint } from '../cri/endpoint.js';
import { isCriError } from '../cri/errors.js';
import { parseDuration } from '../control/util/duration.js';

export class UsageError extends Error {
  readonly code = 'Usage';
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

export interface ParsedFlags { positionals: string[]; flags: Map<string, string | true> }

export function parseFlags(argv: readonly string[], spec: { booleans?: readonly string[]; values?: readonly string[] }): ParsedFlags {
  const booleans = new Set(spec.booleans ?? []);
  const values = new Set(spec.values ?? []);
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { positionals.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (booleans.has(name)) {
      flags.set(name, eq < 0 ? true : (a.slice(eq + 1) === 'true' ? true : 'false'));
    } else if (values.has(name)) {
      const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (v === undefined) throw new UsageError(`flag needs an argument: --${name}`);
      flags.set(name, v);
    } else {
      throw new UsageError(`unknown flag: --${name}`);
    }
  }
  return { positionals, flags };
}

export function str(p: ParsedFlags, name: string, fallback: string): string;
export function str(p: ParsedFlags, name: string): string | undefined;
export function str(p: ParsedFlags, name: string, fallback?: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : fallback;
}

export const bool = (p: ParsedFlags, name: string): boolean => p.flags.get(name) === true;

/** --runtime-endpoint as cri/endpoint.ts reads it; a malformed one is a usage error. */
export function runtimeEndpointFlag(endpoint: string): RuntimeEndpoint {
  try {
    return parseRuntimeEndpoint(endpoint);
  } catch (e) {
    if (isCriError(e, 'InvalidArgument')) throw new UsageError(`invalid --runtime-endpoint: ${e.message}`);
    throw e;
  }
}

/** A duration flag's value in ms, in Go's grammar ("90s", "1h30m", "500ms"); negative ones are refused. */
export function durationMs(name: string, value: string): number {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    throw new UsageError(`invalid --${name} "${value}": ${err instanceof Error ? err.message : String(err)}`);
  }
  if (ms < 0) throw new UsageError(`invalid --${name} "${value}": must not be negative`);
  return ms;
}
