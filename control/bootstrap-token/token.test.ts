import { describe, expect, it } from 'vitest';
import { formatToken, generateToken, isValidTokenId, parseToken, tokenSecretName } from './token.js';

describe('bootstrap token strings', () => {
  it.each([
    ['abcdef.0123456789abcdef', { id: 'abcdef', secret: '0123456789abcdef' }],
    ['07401b.f395accd246ae52d', { id: '07401b', secret: 'f395accd246ae52d' }],
  ])('parses %s', (s, want) => {
    expect(parseToken(s)).toEqual(want);
    expect(formatToken(want)).toBe(s);
  });

  it.each(['', 'abcdef', 'abcdef.0123456789abcde', 'ABCDEF.0123456789abcdef', 'abcdef:0123456789abcdef', ' abcdef.0123456789abcdef',
    'abcdef.0123456789abcdefg', 'abc-ef.0123456789abcdef'])('rejects %j', (s) => expect(parseToken(s)).toBeUndefined());

  it('generates well-formed, different tokens', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const t = formatToken(generateToken());
      expect(t).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(50);
  });

  it('ids and secret names', () => {
    expect(isValidTokenId('abcdef')).toBe(true);
    expect(isValidTokenId('abcde')).toBe(false);
    expect(tokenSecretName('abcdef')).toBe('bootstrap-token-abcdef');
  });
});
