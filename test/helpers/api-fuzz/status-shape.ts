/** What every refused request must answer: a 4xx with a well-formed Status body of the same code. */

/** The problem with an answer, or undefined when it is a 2xx or a well-formed 4xx Status. */
export function answerProblem(status: number, text: string): string | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status >= 500) return `server error ${status}: ${text.slice(0, 500)}`;
  if (status < 400) return `unexpected status ${status}`;
  let s: Record<string, unknown>;
  try { s = JSON.parse(text) as Record<string, unknown>; } catch { return `${status} answer is not JSON: ${text.slice(0, 300)}`; }
  if (s['kind'] !== 'Status' || s['apiVersion'] !== 'v1') return `${status} answer is not a v1 Status: ${text.slice(0, 300)}`;
  if (s['status'] !== 'Failure') return `${status} Status has status ${String(s['status'])}`;
  if (s['code'] !== status) return `${status} Status carries code ${String(s['code'])}`;
  if (typeof s['reason'] !== 'string' || s['reason'] === '') return `${status} Status has no reason: ${text.slice(0, 300)}`;
  if (typeof s['message'] !== 'string') return `${status} Status has no message`;
  return undefined;
}

/** JSON text with sorted keys, to compare two readings of an object. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => (val && typeof val === 'object' && !Array.isArray(val)
    ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : val));
}
