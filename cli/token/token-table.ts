/**
 * `tinykube token list` output, as kubeadm prints it: columns TOKEN TTL EXPIRES USAGES DESCRIPTION
 * EXTRA GROUPS through Go's tabwriter (minwidth 10, padding 3, spaces), TTL as kubectl's short
 * human duration, `<forever>`/`<never>` for tokens without expiry, `<none>` for empty cells. Pure.
 */
import type { BootstrapToken } from '../../control/bootstrap-token/token-secret.js';
import { formatToken } from '../../control/bootstrap-token/token.js';
import { rfc3339 } from '../../control/util/clock.js';

export const TOKEN_TABLE_HEADER = ['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS'];

/** apimachinery's ShortHumanDuration: "45s", "59m", "23h", "364d", "2y"; "<invalid>" well in the past. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

export function tokenRow(t: BootstrapToken, now: Date): string[] {
  const none = (s: string) => (s === '' ? '<none>' : s);
  return [
    formatToken(t.token),
    t.expires ? shortHumanDuration(t.expires.getTime() - now.getTime()) : '<forever>',
    t.expires ? rfc3339(t.expires) : '<never>',
    none(t.usages.join(',')),
    none(t.description ?? ''),
    none(t.groups.join(',')),
  ];
}

/** Go text/tabwriter with minwidth 10, padding 3, padchar ' ': every cell but the last is padded. */
export function tabwrite(rows: readonly (readonly string[])[], o: { minWidth: number; padding: number } = { minWidth: 10, padding: 3 }): string {
  const len = (s: string) => [...s].length;
  const widths: number[] = [];
  for (const r of rows) {
    r.slice(0, -1).forEach((c, i) => { widths[i] = Math.max(widths[i] ?? o.minWidth, len(c) + o.padding); });
  }
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c + ' '.repeat((widths[i] ?? 0) - len(c)) : c)).join('') + '\n').join('');
}

export function renderTokenTable(tokens: readonly BootstrapToken[], now: Date): string {
  return tabwrite([TOKEN_TABLE_HEADER, ...tokens.map((t) => tokenRow(t, now))]);
}
