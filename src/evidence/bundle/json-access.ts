/** Narrowing helpers for documents read from a bundle (a trust boundary: nothing is assumed about them). */

/** The value as a plain JSON object, or `undefined` when it is not one. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
}

/** A string member, or `undefined`. */
export function stringField(value: unknown, key: string): string | undefined {
  const member = asRecord(value)?.[key];
  return typeof member === 'string' ? member : undefined;
}

/** A number member, or `undefined`. */
export function numberField(value: unknown, key: string): number | undefined {
  const member = asRecord(value)?.[key];
  return typeof member === 'number' ? member : undefined;
}

/** An array member, or `undefined`. */
export function arrayField(value: unknown, key: string): readonly unknown[] | undefined {
  const member = asRecord(value)?.[key];
  return Array.isArray(member) ? (member as readonly unknown[]) : undefined;
}
