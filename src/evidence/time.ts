/**
 * RFC 3339 timestamps as they appear in evidence: upstream writes `2026-05-21T15:40:00.000000+00:00`
 * (Python, microseconds), Go and JavaScript write `…Z` with 0–9 fraction digits. All must compare correctly.
 */

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Microseconds since the Unix epoch for an RFC 3339 timestamp with an explicit offset; null when the text
 * is not one (missing offset, impossible date, leap second). Sub-microsecond digits are truncated.
 */
export function parseTimestamp(text: string): number | null {
  // Hand-rolled rather than a regular expression: verification parses one timestamp per entry.
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const t = text.charAt(10);
  const isLayout = text.charAt(4) === '-' && text.charAt(7) === '-' && (t === 'T' || t === 't');
  if (!isLayout || text.charAt(13) !== ':' || text.charAt(16) !== ':') return null;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let at = 19;
  let micros = 0;
  if (text.charAt(at) === '.') {
    const start = ++at;
    while (at < text.length && digits(text, at, 1) >= 0) at++;
    const count = at - start;
    if (count < 1 || count > 9) return null;
    micros = digits(text, start, Math.min(count, 6)) * 10 ** Math.max(0, 6 - count);
  }
  const offset = parseOffset(text, at);
  if (offset === null) return null;
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
  return (seconds - offset * 60) * 1e6 + micros;
}

/** The value of `count` ASCII digits at `from`, or -1 when any is not a digit. */
function digits(text: string, from: number, count: number): number {
  if (from + count > text.length) return -1;
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Minutes east of UTC for the rest of the text (`Z` or `±HH:MM`), or null when that is not all it holds. */
function parseOffset(text: string, at: number): number | null {
  const sign = text.charAt(at);
  if (sign === 'Z' || sign === 'z') return at + 1 === text.length ? 0 : null;
  if ((sign !== '+' && sign !== '-') || at + 6 !== text.length || text.charAt(at + 3) !== ':') return null;
  const hours = digits(text, at + 1, 2);
  const minutes = digits(text, at + 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return null;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}
