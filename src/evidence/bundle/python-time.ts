/**
 * Python `datetime` semantics the bundle format depends on: `isoformat()` text (microseconds only when
 * non-zero, `+HH:MM` offsets), the `fromisoformat` subset upstream writes, adding whole days, `timestamp()`.
 */

/** A parsed ISO-8601 timestamp: whole wall-clock seconds plus microseconds, kept apart for exactness. */
export type IsoTimestamp = {
  /** Wall-clock seconds since 1970-01-01T00:00:00 of that wall clock. */
  wallSeconds: number;
  /** 0 … 999 999. */
  micros: number;
  /** Offset from UTC in minutes; `null` for a naive timestamp. */
  offsetMinutes: number | null;
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:\d{2})?$/;
const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59, Python's datetime.max

/** Parses the `fromisoformat` subset upstream writes; `null` for anything else. */
export function parseIsoTimestamp(text: string): IsoTimestamp | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const field = (i: number): number => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [
    field(1),
    field(2),
    field(3),
    field(4),
    field(5),
    field(6),
  ];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const isRealDate =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (year < 1 || !isRealDate || hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[8];
  let offsetMinutes: number | null = null;
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone !== undefined) {
    const [hours, minutes] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  const wallSeconds = date.getTime() / 1000 + hour * 3600 + minute * 60 + second;
  return { wallSeconds, micros: Number((m[7] ?? '').padEnd(6, '0')), offsetMinutes };
}

/** Seconds since the Unix epoch in UTC (naive timestamps are read as UTC) and the microsecond part. */
export function epochSeconds(timestamp: IsoTimestamp): number {
  return timestamp.wallSeconds - (timestamp.offsetMinutes ?? 0) * 60;
}

/** Python's `aware_datetime.timestamp()`: a float computed as total microseconds / 10**6, correctly rounded. */
export function pythonTimestamp(timestamp: IsoTimestamp): number {
  return (epochSeconds(timestamp) * 1_000_000 + timestamp.micros) / 1_000_000;
}

/** Python's `datetime.isoformat()` of a parsed timestamp. */
export function formatIsoTimestamp(timestamp: IsoTimestamp): string {
  const base = new Date(timestamp.wallSeconds * 1000).toISOString().slice(0, 19);
  const fraction = timestamp.micros === 0 ? '' : `.${String(timestamp.micros).padStart(6, '0')}`;
  return `${base}${fraction}${formatOffset(timestamp.offsetMinutes)}`;
}

function formatOffset(minutes: number | null): string {
  if (minutes === null) return '';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** `datetime.now(timezone.utc).isoformat()` for a JS `Date` (a millisecond clock). */
export function pythonIsoformat(date: Date): string {
  const ms = date.getTime();
  const wallSeconds = Math.floor(ms / 1000);
  return formatIsoTimestamp({ wallSeconds, micros: (ms - wallSeconds * 1000) * 1000, offsetMinutes: 0 });
}

/**
 * `(datetime.fromisoformat(text) + timedelta(days=days)).isoformat()`; `null` when `text` is not a timestamp
 * or the result leaves Python's datetime range (upstream raises `OverflowError` there).
 */
export function addDays(text: string, days: number): string | null {
  const parsed = parseIsoTimestamp(text);
  if (!parsed || !Number.isInteger(days)) return null;
  const wallSeconds = parsed.wallSeconds + days * 86_400;
  if (wallSeconds < -62_135_596_800 || wallSeconds > MAX_SECONDS) return null;
  return formatIsoTimestamp({ ...parsed, wallSeconds });
}
