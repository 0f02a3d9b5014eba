/**
 * One `Warning: 299 - "<text>"` header value, as upstream's NewWarningHeader quotes it (quotes and
 * backslashes escaped) and Go's server writes it: UTF-8 bytes, line breaks as spaces. Node refuses
 * control characters and anything past U+00FF in a header string (a 500 before any Status), so
 * the text goes out as its UTF-8 bytes, one latin1 character each, and other control characters
 * become spaces too. A warning quotes request input (unknown field names), so any text can come here.
 */
export function warningHeaderValue(text: string): string {
  const quoted = text.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ');
  return `299 - "${Buffer.from(quoted, 'utf8').toString('latin1')}"`;
}
