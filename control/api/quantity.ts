/**
 * Kubernetes resource.Quantity parsing: "<signed number><suffix>" where the suffix is a binary SI
 * suffix (Ki Mi Gi Ti Pi Ei), a decimal SI suffix (n u m "" k M G T P E) or a decimal exponent
 * (e3, E-2). Values come back as plain numbers in base units ("500m" -> 0.5, "1Gi" -> 1073741824).
 */

/** The syntax upstream checks first; its wording is reused for the error text. */
export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const QUANTITY_SYNTAX_ERROR = `quantities must match the regular expression '${QUANTITY_REGEX}'`;

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const EXPONENT = /^[eE][+-]?\d+$/;

export class QuantityError extends Error {
  constructor(readonly input: string) {
    super(QUANTITY_SYNTAX_ERROR);
    this.name = 'QuantityError';
  }
}

function multiplier(suffix: string): number | undefined {
  const bin = BINARY[suffix];
  if (bin !== undefined) return bin;
  const dec = DECIMAL[suffix];
  if (dec !== undefined) return dec;
  if (EXPONENT.test(suffix)) return 10 ** Number(suffix.slice(1));
  return undefined;
}

/** Parse a quantity string to base units. Throws QuantityError on bad syntax. */
export function parseQuantity(s: string): number {
  const input = s.trim();
  const m = /^([+-]?[0-9.]+)(.*)$/.exec(input);
  if (!m || !NUMBER.test(m[1] ?? '')) throw new QuantityError(s);
  const mult = multiplier(m[2] ?? '');
  if (mult === undefined) throw new QuantityError(s);
  const value = Number(m[1]) * mult;
  // Round away float noise so "0.1" * 1000 and friends compare as expected (milli precision+).
  return Math.round(value * 1e9) / 1e9;
}

/** Quantities may arrive as JSON numbers too (e.g. `cpu: 1`). */
export function quantityOf(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') return parseQuantity(v);
  throw new QuantityError(String(v));
}
