import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { describe, expect, it } from 'vitest';
import { csrCondition, csrPrinter } from './certificates-printers.js';
import type { KubeObject } from './kube-object.js';
import { printerFor } from './printers.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const cond = (type: string) => ({ type, status: 'True' });
const csr = (status?: CertificateSigningRequest['status'], spec: Partial<CertificateSigningRequest['spec']> = {}): CertificateSigningRequest => ({
  metadata: { name: 'jane', creationTimestamp: '2024-01-01T11:58:00Z' },
  spec: { request: 'eA==', signerName: 'kubernetes.io/kube-apiserver-client', username: 'kubernetes-admin', ...spec },
  ...(status ? { status } : {}),
});

describe('csrPrinter', () => {
  it('has upstream columns and is registered', () => {
    expect(csrPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
    expect(printerFor('CertificateSigningRequest')).toBe(csrPrinter);
  });

  it.each<[string, CertificateSigningRequest['status'], string]>([
    ['no status', undefined, 'Pending'],
    ['approved', { conditions: [cond('Approved')] }, 'Approved'],
    ['issued', { conditions: [cond('Approved')], certificate: 'eA==' }, 'Approved,Issued'],
    ['denied', { conditions: [cond('Denied')] }, 'Denied'],
    ['failed', { conditions: [cond('Approved'), cond('Failed')] }, 'Approved,Failed'],
    ['pending failed', { conditions: [cond('Failed')] }, 'Pending,Failed'],
  ])('condition: %s', (_n, status, want) => {
    expect(csrCondition(csr(status))).toBe(want);
  });

  it('prints a row', () => {
    expect(csrPrinter.row(csr(undefined, { expirationSeconds: 86400 }) as unknown as KubeObject, { now: NOW }).cells)
      .toEqual(['jane', '2m', 'kubernetes.io/kube-apiserver-client', 'kubernetes-admin', '24h', 'Pending']);
    expect(csrPrinter.row(csr(undefined, { signerName: '' }) as unknown as KubeObject, { now: NOW }).cells.slice(2, 5))
      .toEqual(['<none>', 'kubernetes-admin', '<none>']);
  });
});
