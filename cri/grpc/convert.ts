/**
 * The one conversion between the CRI contract (cri/types.ts, camelCase, ns numbers) and the CRI v1
 * wire objects (wire.ts, snake_case, int64 strings), shared by the gRPC client (cri/remote) and the
 * CRI server (agent/cri-server). Both directions for every message: `xToWire` builds what a peer
 * sends (client requests, server responses), `xFromWire` reads what it receives. The conversions
 * live in one file per topic; this module is their single import point.
 */
export * from './convert-config.js';
export * from './convert-image.js';
export * from './convert-security.js';
export * from './convert-stats.js';
export * from './convert-status.js';
export { i64, num } from './convert-values.js';
