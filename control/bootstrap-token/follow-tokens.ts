/**
 * Feeds a BootstrapTokenCache from the API server: an informer of kube-system Secrets of the
 * bootstrap token type (list, then watch; relists on 410). Runs until the signal aborts.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { ListWatchInformer } from '../client/informer.js';
import { RestClient } from '../client/rest-client.js';
import type { Transport } from '../client/transport.js';
import { TOKEN_NAMESPACE, TOKEN_SECRET_TYPE } from '../api/bootstrap-token.js';
import type { BootstrapTokenCache } from './token-cache.js';

const SECRETS = findResource('', 'v1', 'secrets')!;

export function followBootstrapTokens(o: { transport: Transport; cache: BootstrapTokenCache; log: Logger; signal: AbortSignal }): Promise<void> {
  const informer = new ListWatchInformer<Secret & KubeObject>({
    client: new RestClient(o.transport), ri: SECRETS, namespace: TOKEN_NAMESPACE, fieldSelector: `type=${TOKEN_SECRET_TYPE}`, log: o.log,
  });
  o.cache.follow(informer);
  return informer.run(o.signal).catch((err: unknown) => o.log.error({ err }, 'Bootstrap token informer stopped'));
}
