import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_TOKEN_PATTERN, generateBootstrapToken, generateToken } from './tokens.js';

describe('generateToken', () => {
  it('is URL-safe, at least 32 chars, and different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateToken()));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });
});

describe('generateBootstrapToken', () => {
  it('has the kubeadm format [a-z0-9]{6}.[a-z0-9]{16}', () => {
    for (let i = 0; i < 200; i++) expect(generateBootstrapToken()).toMatch(BOOTSTRAP_TOKEN_PATTERN);
  });

  it('uses the whole alphabet', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateBootstrapToken().replace('.', '')).join(''));
    expect(seen.size).toBe(36);
  });
});
