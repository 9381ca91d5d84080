import type { DecisionContext } from '../src/engine';

/** A deterministic context: a fixed clock and a counter-based id generator. */
export function testContext(overrides: Partial<DecisionContext> = {}): DecisionContext {
  let counter = 0;
  return {
    now: () => new Date('2026-11-25T12:00:00.000Z'),
    randomHex12: () => (counter++).toString(16).padStart(12, '0'),
    ...overrides,
  };
}
