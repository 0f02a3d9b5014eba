/**
 * `pattern` in a CRD schema, compiled for JavaScript. Upstream matches with Go's RE2, which runs in
 * linear time; V8 backtracks. So a pattern is refused when RE2 would not take it (backreferences,
 * lookaround) and when it repeats a group that itself repeats or alternates (`(a+)+`, `(a|aa)*`),
 * the shapes of catastrophic backtracking. PURE.
 */

/** The compiled pattern, or why it is refused (upstream-style wording). */
export function compilePattern(pattern: string): RegExp | string {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch (err) {
    return `must be a valid regular expression, but isn't: ${(err as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'must be a valid regular expression, but isn\'t: backreferences are not supported';
  if (/\(\?<?[=!]/.test(pattern)) return 'must be a valid regular expression, but isn\'t: lookaround is not supported';
  if (nestedRepetition(pattern)) return 'must not repeat a group that itself repeats or alternates (it could take exponential time to match)';
  return re;
}

function nestedRepetition(p: string): boolean {
  const stack: boolean[] = []; // per open group: does it contain a quantifier or an alternation?
  let lastGroupRisky = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') { i++; lastGroupRisky = false; continue; }
    if (c === '[') {
      for (i++; i < p.length && p[i] !== ']'; i++) if (p[i] === '\\') i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === '(') { stack.push(false); lastGroupRisky = false; continue; }
    if (c === ')') { lastGroupRisky = stack.pop() ?? false; continue; }
    const repeats = c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}|^\{\d+\}/.test(p.slice(i)) && !/^\{0*1?\}|^\{0*,0*1\}/.test(p.slice(i)));
    if (repeats && lastGroupRisky) return true;
    if (c === '|' || repeats || c === '?') if (stack.length > 0) stack[stack.length - 1] = true;
    // a quantified group makes the group around it risky too
    if (repeats && stack.length > 0) stack[stack.length - 1] = true;
    lastGroupRisky = false;
  }
  return false;
}
