import { describe, expect, it } from 'vitest';
import { parseProcStat } from './report.js';

describe('parseProcStat', () => {
  it('counts user…steal less idle and iowait, in seconds', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    expect(parseProcStat('cpu  100 5 50 1000 20 3 2 0 7 0\ncpu0 1 2 3 4 5 6 7 8\n')).toEqual({ busy: 1.6, total: 11.8 });
  });
});
