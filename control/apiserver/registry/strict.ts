/** Unknown fields under fieldValidation Warn/Ignore: dropped, as upstream's decoding does (Strict refuses: openapi/unknown-fields.ts). */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Remove the field at `path` (as findUnknownFields names it: `spec.containers[0].foo`) from `obj`.
 * Keys may hold dots, so at each object the longest key that exists wins.
 */
export function dropField(obj: unknown, path: string): void {
  const parts = path.split(/(\[\d+\])/).filter((s) => s !== '');
  const tokens: Array<string | number> = [];
  for (const p of parts) {
    if (/^\[\d+\]$/.test(p)) tokens.push(Number(p.slice(1, -1)));
    else tokens.push(...p.replace(/^\./, '').split('.'));
  }
  let cur: unknown = obj;
  for (let i = 0; i < tokens.length;) {
    const t = tokens[i];
    if (typeof t === 'number') {
      if (!Array.isArray(cur)) return;
      cur = cur[t];
      i++;
      continue;
    }
    if (!isObject(cur)) return;
    let j = i;
    let key = '';
    // longest run of dotted tokens that names an existing key
    for (let k = i; k < tokens.length && typeof tokens[k] === 'string'; k++) {
      const candidate = tokens.slice(i, k + 1).join('.');
      if (candidate in cur) { key = candidate; j = k; }
    }
    if (!key) return;
    if (j === tokens.length - 1) { delete cur[key]; return; }
    cur = cur[key];
    i = j + 1;
  }
}
