import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../util/clock.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';

describe('ControllerExpectations', () => {
  it('waits for creations and for the named deletions, or the timeout', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations({ clock });
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);

    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/other');
    e.deletionObserved('ns/rs', 'ns/a');
    expect(e.satisfied('ns/rs')).toBe(false);
    clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.delete('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});
