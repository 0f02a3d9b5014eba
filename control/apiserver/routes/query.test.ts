import { describe, expect, it } from 'vitest';
import { qBool } from './query.js';

describe('qBool', () => {
  it('reads orphanDependents and the other booleans as upstream\'s parameter codec does', () => {
    expect(qBool({ orphanDependents: 'True' }, 'orphanDependents')).toBe(true);
    expect(qBool({ orphanDependents: 'False' }, 'orphanDependents')).toBe(false);
    expect(qBool({ orphanDependents: '' }, 'orphanDependents')).toBe(true);
    expect(qBool({ orphanDependents: ['0', '1'] }, 'orphanDependents')).toBe(false);
    expect(qBool({}, 'orphanDependents')).toBe(false);
  });
});
