/**
 * The one place that wires @peculiar/x509 to Node's WebCrypto. Every file in
 * this directory imports `x509` from here so the provider is set before use.
 */
import './reflect-metadata-shim.js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** The library's `Crypto` (the DOM type); Node's webcrypto implements it. */
type ProviderCrypto = Parameters<typeof x509.cryptoProvider.set>[1];

x509.cryptoProvider.set(webcrypto as unknown as ProviderCrypto);

export { x509 };
