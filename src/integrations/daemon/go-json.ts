/**
 * Go's `encoding/json` output for the values the daemon stream holds, so records hash to the same bytes
 * upstream's Go daemon produced (reference §1.8). Objects keep their key order: a record parsed from a Go
 * file comes back in struct-field order, and records written here are built in that order.
 */

/** `json.Marshal`: compact, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` etc. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Go's `time.RFC3339Nano` in UTC: fractional seconds without trailing zeros, none when whole. */
export function goTimestamp(date: Date): string {
  const iso = date.toISOString();
  return iso.replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}
