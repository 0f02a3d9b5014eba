/** Content negotiation: Table output, aggregated discovery versions. */

export interface MediaType { type: string; params: Record<string, string> }

export function parseAccept(accept: string | undefined): MediaType[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params: p };
  });
}

/** True when the client asks for meta.k8s.io Table (v1 or v1beta1) before plain JSON. */
export function wantsTable(accept: string | undefined): boolean {
  for (const m of parseAccept(accept)) {
    if (m.params['as'] === 'Table' && m.params['g'] === 'meta.k8s.io') return true;
    if (m.params['as'] === undefined && (m.type === 'application/json' || m.type === '*/*')) return false;
  }
  return false;
}

const PLAIN_TYPES = new Set(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/*', '*/*']);

/**
 * True when the client takes the object itself: no Accept, or a media type of ours without a
 * conversion (`as=`). False when it asks only for conversions such as a Table, which an endpoint
 * without a table form (a review, a TokenRequest) answers with 406, as upstream does.
 */
export function acceptsPlainObject(accept: string | undefined): boolean {
  const types = parseAccept(accept);
  return types.length === 0 || types.some((m) => m.params['as'] === undefined && PLAIN_TYPES.has(m.type));
}

/** Which aggregated discovery version the client takes first, or undefined for legacy JSON. */
export function aggregatedDiscoveryVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.params['as'] === 'APIGroupDiscoveryList' && m.params['g'] === 'apidiscovery.k8s.io') {
      if (m.params['v'] === 'v2' || m.params['v'] === 'v2beta1') return m.params['v'];
    }
    if (m.params['as'] === undefined && (m.type === 'application/json' || m.type === '*/*')) return undefined;
  }
  return undefined;
}
