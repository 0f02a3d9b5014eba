/**
 * A boolean query parameter as upstream's parameter codec reads it (apimachinery
 * runtime.Convert_Slice_string_To_bool, used for watch, allowWatchBookmarks, sendInitialEvents,
 * orphanDependents, follow, previous, timestamps, stdin, stdout, stderr, tty, …): absent is false;
 * `0` and `false` in any letter case are false; every other value, the empty one too, is true.
 * So the Python client's `watch=True` is a watch, and no spelling is ever a 400. Shared by the
 * API server and the agent's node API.
 */

/** PURE. `value` is the parameter's first value, undefined (or null, URLSearchParams.get) when absent. */
export function queryBool(value: string | undefined | null): boolean {
  if (value === undefined || value === null) return false;
  return !(value === '0' || isFalseFolded(value));
}

/** Go's strings.EqualFold(v, "false"): ASCII case, and 'ſ' (U+017F) folds to 's'. */
function isFalseFolded(v: string): boolean {
  return v.length === 5 && v.replace(/ſ/g, 's').toLowerCase() === 'false';
}
