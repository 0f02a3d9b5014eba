/** Injectable time source (tests pass a fake). */
export interface Clock { now(): Date }

export const systemClock: Clock = { now: () => new Date() };

/** RFC3339 with second precision, as Kubernetes writes metav1.Time. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class FakeClock implements Clock {
  private t: number;
  constructor(start: Date | number = Date.UTC(2026, 0, 1)) { this.t = typeof start === 'number' ? start : start.getTime(); }
  now(): Date { return new Date(this.t); }
  advance(ms: number): void { this.t += ms; }
}
