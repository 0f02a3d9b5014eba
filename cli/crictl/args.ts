/**
 * A small flag parser for crictl's commands: long flags (`--tail 5`, `--tail=5`), short aliases
 * (`-q`, `-n 5`), bundled short booleans (`-it`), repeatable flags (`--label a=b --label c=d`),
 * `--` ending the flags, and optionally stopping at the first positional (exec's command).
 */
import { UsageError } from '../flags.js';

export type FlagKind = 'bool' | 'value' | 'multi';
export interface FlagDef { kind: FlagKind; short?: string }
export type FlagSpec = Record<string, FlagDef>;

export interface ParsedArgs {
  positionals: string[];
  has(name: string): boolean;
  value(name: string): string | undefined;
  values(name: string): string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec, opts: { stopAtPositional?: boolean } = {}): ParsedArgs {
  const byShort = new Map(Object.entries(spec).flatMap(([name, d]) => d.short === undefined ? [] : [[d.short, name] as const]));
  const seen = new Map<string, string[]>();
  const positionals: string[] = [];
  const put = (name: string, v: string) => seen.set(name, [...seen.get(name) ?? [], v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') {
      if (opts.stopAtPositional === true) { positionals.push(...argv.slice(i)); break; }
      positionals.push(a);
      continue;
    }
    const takeValue = (name: string, inline: string | undefined): void => {
      if (inline !== undefined) { put(name, inline); return; }
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`flag needs an argument: ${a}`);
      put(name, next);
      i++;
    };
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const def = spec[name];
      if (def === undefined) throw new UsageError(`flag provided but not defined: -${name}`);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      if (def.kind === 'bool') put(name, inline ?? 'true');
      else takeValue(name, inline);
      continue;
    }
    const letters = a.slice(1);
    for (let j = 0; j < letters.length; j++) {
      const name = byShort.get(letters[j]!);
      if (name === undefined) throw new UsageError(`flag provided but not defined: -${letters[j]!}`);
      if (spec[name]!.kind === 'bool') { put(name, 'true'); continue; }
      const rest = letters.slice(j + 1).replace(/^=/, '');
      takeValue(name, rest === '' ? undefined : rest);
      break;
    }
  }
  return {
    positionals,
    has: (name) => { const v = seen.get(name)?.at(-1); return v !== undefined && v !== 'false'; },
    value: (name) => seen.get(name)?.at(-1),
    values: (name) => seen.get(name) ?? [],
  };
}

/** A non-negative integer flag value, or `fallback` when absent. */
export function intFlag(p: ParsedArgs, name: string, fallback: number): number {
  const v = p.value(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid value "${v}" for flag --${name}: want a non-negative integer`);
  return n;
}

/** `--label k=v` values as a selector map (crictl rejects anything but exactly one "="). */
export function labelSelector(p: ParsedArgs): Record<string, string> | undefined {
  const vs = p.values('label');
  if (vs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const s of vs) {
    const parts = s.split('=');
    if (parts.length !== 2) throw new UsageError(`incorrectly specified label: ${s}`);
    out[parts[0]!] = parts[1]!;
  }
  return out;
}

/** `-o json|yaml|table` (table by default, or `dflt`). */
export function outputFormat(p: ParsedArgs, dflt: 'table' | 'json' = 'table'): 'table' | 'json' | 'yaml' {
  const o = p.value('output') ?? dflt;
  if (o !== 'table' && o !== 'json' && o !== 'yaml') throw new UsageError(`unsupported output format "${o}"`);
  return o;
}
