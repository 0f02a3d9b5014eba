import { describe, expect, it } from 'vitest';
import { computeDetachedSignature, verifyDetachedSignature } from './jws.js';

// upstream's vectors (k8s.io/cluster-bootstrap token/jws tests)
const content = 'Hello from the other side. I must have called a thousand times.';
const secret = 'my voice is my passcode';
const id = 'joshua';

describe('detached JWS', () => {
  it.each([
    [content, secret, 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8'],
    ['', secret, 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..7Ui1ALizW4jXphVUB7xUqC9vLYLL9RZeOFfVLoB7Tgk'],
    [content, '', 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..UfkqvDGiIFxrMnFseDj9LYJOLNrvjW8aHhF71mvvAs8'],
  ])('signs as upstream does (%#)', (c, s, want) => {
    expect(computeDetachedSignature(c, id, s)).toBe(want);
  });

  it('verifies its own signatures and rejects tampering', () => {
    const sig = computeDetachedSignature(content, id, secret);
    expect(verifyDetachedSignature(sig, content, id, secret)).toBe(true);
    expect(verifyDetachedSignature(sig + 'foo', content, id, secret)).toBe(false);
    expect(verifyDetachedSignature(sig, content + ' ', id, secret)).toBe(false);
    expect(verifyDetachedSignature(sig, content, 'joshub', secret)).toBe(false);
    expect(verifyDetachedSignature(sig, content, id, 'another passcode')).toBe(false);
    expect(verifyDetachedSignature(sig.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), content, id, secret)).toBe(false);
    expect(verifyDetachedSignature('', content, id, secret)).toBe(false);
  });
});
