import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { OUTPUT, renderSchemas } from '../../../scripts/gen-openapi.mjs';

describe('generated/schemas.json', () => {
  it('is what scripts/gen-openapi.mjs generates now (run `node scripts/gen-openapi.mjs` if this fails)', () => {
    expect((renderSchemas as () => string)() === readFileSync(OUTPUT as string, 'utf8')).toBe(true);
  });
});
