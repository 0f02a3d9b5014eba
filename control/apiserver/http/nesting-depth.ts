/**
 * Nesting depth limits for request bodies, checked on the raw text before any parser or walker
 * recurses into it, worded as upstream's decoders word theirs: encoding/json's "invalid character
 * '[' exceeded max depth", go-yaml's "exceeded max depth of N".
 *
 * Upstream stops at 10000 levels. tinykube stops at 500: its YAML parser, structuredClone and the
 * recursive walkers (defaults, validation, deep equality) exhaust Node's stack between ~900 and
 * ~2000 levels, and a free-form field (managedFields, …) would carry that depth to all of them.
 * Real objects nest fewer than 50 levels.
 */

/** Deepest JSON nesting accepted (upstream: Go's maxNestingDepth, 10000). */
export const MAX_JSON_DEPTH = 500;

/** Deepest YAML nesting accepted (upstream: go-yaml's max depth, 10000). */
export const MAX_YAML_DEPTH = 500;

/**
 * The bracket that opens level `max + 1` of a JSON text, or undefined when it nests no deeper than
 * `max`. Brackets inside strings do not count. Malformed text is left for the parser to report.
 */
export function jsonDepthExceeded(text: string, max = MAX_JSON_DEPTH): '[' | '{' | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return c === 0x5b ? '[' : '{';
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/**
 * An upper bound of a YAML text's nesting: flow brackets open on a line, plus the block levels
 * (indentation steps and compact `- ` / `? ` indicators) that line sits under. Quoted scalars
 * (a quote that starts a token) and comments are skipped; block scalar lines count as indentation,
 * so the bound errs high.
 */
export function yamlDepthExceeded(text: string, max = MAX_YAML_DEPTH): boolean {
  const indents: number[] = [];
  let flow = 0;
  for (const line of text.split('\n')) {
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    if (flow === 0) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
    }
    const compact = /^(?:[-?](?:[ \t]+|$))*/.exec(content)?.[0].replace(/[ \t]/g, '').length ?? 0;
    const peak = scanFlow(content, flow);
    if (indents.length + compact + peak.max > max) return true;
    flow = peak.end;
  }
  return false;
}

/** Flow depth reached on one line (starting at `start`) and where it ends; quotes and comments skipped. */
function scanFlow(line: string, start: number): { max: number; end: number } {
  let depth = start;
  let max = start;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || ' \t[{,:'.includes(line[i - 1] as string))) quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return { max, end: depth };
}
