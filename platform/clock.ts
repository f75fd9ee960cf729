// platform/clock: time is injected everywhere so judgement stays pure and tests use fixed dates.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function createFixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
