/**
 * Redaction of what leaves the process or is recorded about a delivery. Payloads: secrets an agent's command
 * or path may carry (tokens, keys, `password=…`, credentials in URLs). Requests as recorded: upstream's rules
 * (§1.12) — credential headers, Slack hook paths and query strings become `REDACTED`.
 */
import type { JsonObject, JsonValue } from '../../engine';

/** What a redacted secret is replaced with. */
export const REDACTED = 'REDACTED';

/** Patterns of secrets with a recognisable shape; each match is replaced whole. */
const SECRET_SHAPES: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /https:\/\/hooks\.slack\.com\/services\/[^\s"'<>]+/g,
];

/** `name=value` / `name: value` where the name says it is a secret: the value goes, the name stays. */
const SECRET_ASSIGNMENT =
  /\b([A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"'&;|,}]+)/gi;
/** `Bearer <token>` anywhere in text. */
const AUTH_SCHEME = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;

/** `text` with every recognised secret replaced by {@link REDACTED}. */
export function redactText(text: string): string {
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  out = out.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
  out = out.replace(SECRET_ASSIGNMENT, (match, name: string, separator: string, value: string) =>
    value === REDACTED || value === `${REDACTED}@` ? match : `${name}${separator}${REDACTED}`,
  );
  return out;
}

/** A JSON value with {@link redactText} applied to every string (keys are kept). */
export function redactJson<T extends JsonValue>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactJson(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactJson(item);
    return out as T;
  }
  return value;
}

/** Header names whose values are credentials. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'dd-api-key',
  'cookie',
]);

/** Headers as recorded: credential values replaced. Names are lowercased. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      const lower = name.toLowerCase();
      const isSecret = SECRET_HEADERS.has(lower) || /token|secret|signature/.test(lower);
      return [lower, isSecret ? REDACTED : value];
    }),
  );
}

/** A URL as recorded: Slack hook paths and any query string or user info replaced (upstream's rules). */
export function redactUrl(url: string): string {
  if (/^https:\/\/hooks\.slack\.com\/services\//.test(url))
    return `https://hooks.slack.com/services/${REDACTED}`;
  try {
    const parsed = new URL(url);
    const hasQuery = parsed.search !== '';
    const hadUser = parsed.username !== '' || parsed.password !== '';
    parsed.search = '';
    parsed.hash = '';
    parsed.username = '';
    parsed.password = '';
    let text = parsed.toString();
    if (hadUser) text = text.replace('://', `://${REDACTED}@`);
    return hasQuery ? `${text}?${REDACTED}` : text;
  } catch {
    return REDACTED;
  }
}
