/** A ServiceAccount token that verified but no longer holds; the message is what TokenReview reports. */
export class TokenInvalid extends Error {
  readonly code = 'TokenInvalid';
  constructor(message: string) { super(message); this.name = 'TokenInvalid'; }
}
