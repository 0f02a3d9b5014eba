import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { printerFor } from './printers.js';

const ctx = { now: new Date('2024-01-01T12:00:00Z') };
const meta = { name: 'builder', creationTimestamp: '2024-01-01T11:59:30Z' };

describe('serviceAccountPrinter', () => {
  it('is NAME SECRETS AGE with the secrets counted', () => {
    const p = printerFor('ServiceAccount');
    expect(p.columns.map((c) => c.name)).toEqual(['Name', 'Secrets', 'Age']);
    expect(p.row({ metadata: meta, secrets: [{ name: 'a' }, { name: 'b' }] } as KubeObject, ctx).cells).toEqual(['builder', 2, '30s']);
    expect(p.row({ metadata: meta } as KubeObject, ctx).cells).toEqual(['builder', 0, '30s']);
  });
});
