/**
 * The approval notification configuration (`CAVRA_APPROVAL_PROVIDER_CONFIG`, upstream §2.8, YAML or JSON):
 * which providers get approval notifications at which URL with which credentials, plus CAVRA's delivery
 * settings (events, retries, timeout, backoff). Parsed and checked once at start-up: a bad file, a provider
 * without a URL, or a named environment variable that is not set stops the server with a message naming
 * the field (docs/decisions/0013-approval-notifications.md).
 */
import { z } from '@hono/zod-openapi';
import { parse as parseYaml } from 'yaml';
import type { HistoryEvent } from '../approvals/approval-record';
import { NOTIFICATION_PROVIDERS, type JiraOptions, type NotificationProvider } from './payloads';

/** Transitions that can trigger a notification. */
export const NOTIFICATION_EVENTS = [
  'requested',
  'approval_recorded',
  'approved',
  'denied',
  'expired',
  'break_glass',
  'reviewed',
] as const satisfies readonly HistoryEvent[];

/** One provider, resolved: where to send, with which headers (credentials included: never log this). */
export type ProviderTarget = {
  provider: NotificationProvider;
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  jira: JiraOptions;
};

/** Delivery settings. */
export type DeliverySettings = {
  /** Transitions that notify automatically (`POST /approvals/{id}/deliver` sends whatever the state is). */
  events: ReadonlySet<HistoryEvent>;
  /** Retries after the first attempt (attempts = retries + 1). */
  retries: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** First backoff; doubles per retry up to {@link DeliverySettings.maxBackoffMs}. */
  backoffMs: number;
  maxBackoffMs: number;
};

/** The resolved configuration. */
export type NotificationConfig = { source: string; providers: ProviderTarget[]; delivery: DeliverySettings };

/** Defaults: upstream's 2 retries and 10 s timeout; backoff 250 ms doubling to 4 s; every event but progress. */
export const DEFAULT_DELIVERY = {
  retries: 2,
  timeoutSeconds: 10,
  backoffMs: 250,
  maxBackoffMs: 4000,
  events: NOTIFICATION_EVENTS.filter((event) => event !== 'approval_recorded'),
} as const;

/** Limits that keep a delivery from holding a request or a worker for long. */
export const DELIVERY_LIMITS = { maxRetries: 10, minTimeoutSeconds: 0.1, maxTimeoutSeconds: 60 } as const;

const text = z.string().trim().min(1, 'must be a non-empty string');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

const ProviderSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  url: text.optional(),
  url_env: envName.optional(),
  token: text.optional(),
  token_env: envName.optional(),
  authorization: text.optional(),
  authorization_env: envName.optional(),
  authorization_scheme: text.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  method: z.enum(['POST', 'PUT']).optional(),
  project_key: text.optional(),
  issue_type: text.optional(),
});

const ProvidersSchema = z.strictObject(
  Object.fromEntries(NOTIFICATION_PROVIDERS.map((name) => [name, ProviderSchema.optional()])) as Record<
    NotificationProvider,
    z.ZodOptional<typeof ProviderSchema>
  >,
);

const DocumentSchema = z.strictObject({
  approval_providers: ProvidersSchema.optional(),
  providers: ProvidersSchema.optional(),
  delivery: z
    .strictObject({
      events: z.array(z.enum(NOTIFICATION_EVENTS)).optional(),
      retries: z.number().int('must be a whole number').min(0).max(DELIVERY_LIMITS.maxRetries).optional(),
      timeout_seconds: z
        .number()
        .min(DELIVERY_LIMITS.minTimeoutSeconds)
        .max(DELIVERY_LIMITS.maxTimeoutSeconds)
        .optional(),
      backoff_ms: z.number().int('must be a whole number').min(0).max(60_000).optional(),
      max_backoff_ms: z.number().int('must be a whole number').min(0).max(300_000).optional(),
    })
    .optional(),
});

/** The verdict on a configuration file. */
export type NotificationConfigResult =
  { ok: true; config: NotificationConfig } | { ok: false; errors: string[] };

/**
 * Parses a provider configuration and resolves `*_env` references against `env`. Every problem is reported,
 * each naming its field (`approval_providers.jira: needs a credential …`).
 */
export function parseNotificationConfig(
  source: string,
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): NotificationConfigResult {
  let document: unknown;
  try {
    document = parseYaml(source);
  } catch (error) {
    return { ok: false, errors: [`${name} is not valid YAML or JSON: ${(error as Error).message}`] };
  }
  const parsed = DocumentSchema.safeParse(document ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => `${dotted([...issue.path, key])}: is not a known field`)
          : [`${dotted(issue.path)}: ${readable(issue.message)}`],
      ),
    };
  }
  const { approval_providers, providers, delivery = {} } = parsed.data;
  if (approval_providers !== undefined && providers !== undefined) {
    return { ok: false, errors: ['use either approval_providers or providers, not both'] };
  }
  const section = approval_providers === undefined ? 'providers' : 'approval_providers';
  const entries = approval_providers ?? providers;
  if (entries === undefined) {
    return {
      ok: false,
      errors: ['approval_providers: is required (slack, teams, jira, servicenow or webhook)'],
    };
  }
  const errors: string[] = [];
  const targets: ProviderTarget[] = [];
  for (const provider of NOTIFICATION_PROVIDERS) {
    const entry = entries[provider];
    if (entry === undefined || entry.enabled === false) continue;
    const target = resolveProvider(provider, entry, `${section}.${provider}`, env, errors);
    if (target !== null) targets.push(target);
  }
  if (errors.length > 0) return { ok: false, errors };
  if (targets.length === 0) return { ok: false, errors: [`${section}: no provider is enabled`] };
  const retries = delivery.retries ?? DEFAULT_DELIVERY.retries;
  const backoffMs = delivery.backoff_ms ?? DEFAULT_DELIVERY.backoffMs;
  return {
    ok: true,
    config: {
      source: name,
      providers: targets,
      delivery: {
        events: new Set(delivery.events ?? DEFAULT_DELIVERY.events),
        retries,
        timeoutMs: Math.round((delivery.timeout_seconds ?? DEFAULT_DELIVERY.timeoutSeconds) * 1000),
        backoffMs,
        maxBackoffMs: Math.max(backoffMs, delivery.max_backoff_ms ?? DEFAULT_DELIVERY.maxBackoffMs),
      },
    },
  };
}

type ProviderEntry = z.infer<typeof ProviderSchema>;

function resolveProvider(
  provider: NotificationProvider,
  entry: ProviderEntry,
  field: string,
  env: Readonly<Record<string, string | undefined>>,
  errors: string[],
): ProviderTarget | null {
  const fromEnv = (key: 'url' | 'token' | 'authorization'): string | undefined => {
    const direct = entry[key];
    const variable = entry[`${key}_env`];
    if (direct !== undefined && variable !== undefined) {
      errors.push(`${field}: set ${key} or ${key}_env, not both`);
      return undefined;
    }
    if (variable === undefined) return direct;
    const value = env[variable]?.trim();
    if (value === undefined || value === '') {
      errors.push(`${field}.${key}_env: the environment variable ${variable} is not set`);
      return undefined;
    }
    return value;
  };
  const url = fromEnv('url');
  const token = fromEnv('token');
  const authorization = fromEnv('authorization');
  const before = errors.length;
  if (url === undefined) {
    if (entry.url === undefined && entry.url_env === undefined) errors.push(`${field}: needs url or url_env`);
  } else if (!isHttpUrl(url)) {
    errors.push(`${field}.url: must be an http:// or https:// URL`);
  }
  if (token !== undefined && authorization !== undefined) {
    errors.push(`${field}: set a token or an authorization header, not both`);
  }
  const credential =
    authorization ?? (token === undefined ? undefined : `${entry.authorization_scheme ?? 'Bearer'} ${token}`);
  if ((provider === 'jira' || provider === 'servicenow') && credential === undefined) {
    const isMissingEnv = [entry.token_env, entry.authorization_env].some((name) => name !== undefined);
    if (!isMissingEnv) {
      errors.push(`${field}: needs a credential (token, token_env, authorization or authorization_env)`);
    }
  }
  if (errors.length > before || url === undefined) return null;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [header, value] of Object.entries(entry.headers ?? {})) headers[header.toLowerCase()] = value;
  if (credential !== undefined) headers['authorization'] = credential;
  return {
    provider,
    url,
    method: entry.method ?? 'POST',
    headers,
    jira: {
      ...(entry.project_key !== undefined && { projectKey: entry.project_key }),
      ...(entry.issue_type !== undefined && { issueType: entry.issue_type }),
    },
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function dotted(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the document' : path.map(String).join('.');
}

function readable(message: string): string {
  if (/received undefined$/.test(message)) return 'is required';
  const text = message.replace(/^Invalid input: /, '').replace(/^Too (big|small): /, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}
