/** Reads the connection settings for the API server out of a kubeconfig (current context). */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { HttpsTransportOptions } from '../control/client/transport.js';

interface NamedCluster { name: string; cluster: { server?: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string } }
interface NamedUser { name: string; user: { token?: string; 'client-certificate'?: string; 'client-certificate-data'?: string; 'client-key'?: string; 'client-key-data'?: string } }
interface NamedContext { name: string; context: { cluster: string; user: string } }
interface KubeconfigFile { 'current-context'?: string; clusters?: NamedCluster[]; users?: NamedUser[]; contexts?: NamedContext[] }

const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

export async function loadKubeconfig(path: string): Promise<HttpsTransportOptions> {
  const kc = parse(await readFile(path, 'utf8')) as KubeconfigFile;
  const base = dirname(path);
  const file = (p: string) => readFile(resolve(base, p), 'utf8');
  const ctxName = kc['current-context'] ?? kc.contexts?.[0]?.name;
  const ctx = kc.contexts?.find((c) => c.name === ctxName)?.context;
  const cluster = kc.clusters?.find((c) => c.name === (ctx?.cluster ?? kc.clusters?.[0]?.name))?.cluster;
  const user = kc.users?.find((u) => u.name === (ctx?.user ?? kc.users?.[0]?.name))?.user ?? {};
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: no cluster server for context "${ctxName ?? ''}"`);
  const ca = cluster['certificate-authority-data'] ? b64(cluster['certificate-authority-data'])
    : cluster['certificate-authority'] ? await file(cluster['certificate-authority']) : undefined;
  if (!ca) throw new Error(`kubeconfig ${path}: the cluster has no certificate authority`);
  const opts: HttpsTransportOptions = { server: cluster.server, caCertPem: ca };
  if (user.token) opts.token = user.token;
  if (user['client-certificate-data']) opts.clientCertPem = b64(user['client-certificate-data']);
  else if (user['client-certificate']) opts.clientCertPem = await file(user['client-certificate']);
  if (user['client-key-data']) opts.clientKeyPem = b64(user['client-key-data']);
  else if (user['client-key']) opts.clientKeyPem = await file(user['client-key']);
  return opts;
}
