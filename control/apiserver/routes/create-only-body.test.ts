import { describe, expect, it } from 'vitest';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { ApiError } from '../../api/status.js';
import { checkCreateOnlyBody } from './create-only-body.js';

const tokenReviews = findResource('authentication.k8s.io', 'v1', 'tokenreviews') as ResourceInfo;
const serviceAccounts = findResource('', 'v1', 'serviceaccounts') as ResourceInfo;
const statusOf = (fn: () => void) => { try { fn(); } catch (err) { if (err instanceof ApiError) return err.status; throw err; } return undefined; };

describe('checkCreateOnlyBody', () => {
  it('passes a well-typed review and a TokenRequest', () => {
    expect(statusOf(() => checkCreateOnlyBody(tokenReviews, undefined, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 't' } }))).toBeUndefined();
    expect(statusOf(() => checkCreateOnlyBody(serviceAccounts, 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['a'] } }))).toBeUndefined();
  });

  it.each([
    ['a token of the wrong type', tokenReviews, undefined, { spec: { token: { value: 'x' } } },
      'TokenReview in version "v1" cannot be handled as a TokenReview: json: cannot unmarshal object into Go struct field TokenReviewSpec.spec.token of type string'],
    ['another kind', tokenReviews, undefined, { kind: 'TokenReviewX' },
      'TokenReview in version "v1" cannot be handled as a TokenReview: the kind in the data (TokenReviewX) does not match the expected kind (TokenReview)'],
    ['another version', serviceAccounts, 'token', { apiVersion: 'v1', kind: 'TokenRequest' },
      'the API version in the data (v1) does not match the expected API version (authentication.k8s.io/v1)'],
    ['audiences not a list', serviceAccounts, 'token', { spec: { audiences: 'x' } },
      'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.audiences of type []string'],
  ])('%s is a 400', (_name, ri, sub, body, message) => {
    expect(statusOf(() => checkCreateOnlyBody(ri, sub, body))).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});
