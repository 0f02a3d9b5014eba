/** TLS options for talking to a kubelet: our kubelet-client certificate, the kubelet's cert checked against the cluster CA. */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

export interface KubeletClientTls { cert: string; key: string; ca: string }

export function kubeletTlsOptions(tls: KubeletClientTls, host: string, port: number): ConnectionOptions {
  // SNI carries DNS names only; an IP host is checked against the certificate's IP SANs.
  return { host, port, cert: tls.cert, key: tls.key, ca: tls.ca, ...(isIP(host) ? {} : { servername: host }) };
}
