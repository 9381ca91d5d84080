/**
 * Live delivery of approval notifications to the configured providers (docs/decisions/0013): one HTTP request
 * per provider with a per-attempt timeout (`AbortSignal.timeout`), bounded exponential backoff between
 * retries, payloads redacted before they leave, and every attempt recorded — the delivery row (`deliveries`)
 * and a `delivery` evidence entry, in one unit of work. Web-standard `fetch` only, injected by the caller.
 */
import type { JsonObject } from '../../engine';
import { toHex, utf8, type EvidenceCrypto } from '../../evidence';
import type { DeliveryRecord, DeliveryStatus, Store } from '../../store';
import { formatTime, type Approval, type HistoryEvent } from '../approvals/approval-record';
import { notificationPayload, type NotificationProvider } from './payloads';
import type { NotificationConfig, ProviderTarget } from './provider-config';
import { redactHeaders, redactJson, redactText, redactUrl } from './redact';

/** A request as recorded (credentials redacted). */
export type RecordedRequest = { method: string; url: string; headers: Record<string, string> };

/** One provider's outcome (upstream `deliveries[]`, plus the delivery id). */
export type ProviderDelivery = {
  provider: NotificationProvider;
  delivery_id: string;
  success: boolean;
  status_code: number;
  attempt_count: number;
  started_at: string;
  completed_at: string;
  error: string | null;
  request: RecordedRequest;
};

/** `cavra.approval.delivery.v1`: the outcome of delivering one approval to its providers. */
export type DeliveryResult = {
  schema_version: 'cavra.approval.delivery.v1';
  product: 'CAVRA';
  approval_id: string;
  decision_id: string;
  event: string;
  generated_at: string;
  success: boolean;
  deliveries: ProviderDelivery[];
};

/** Per-call overrides (`POST /approvals/{id}/deliver`). */
export type DeliverOptions = {
  /** The transition being announced (or `manual` for a re-send). */
  event: HistoryEvent | 'manual';
  /** Providers to deliver to; default every configured one. */
  providers?: readonly NotificationProvider[];
  retries?: number;
  timeoutMs?: number;
};

/** What the notifier runs on. */
export type NotifierOptions = {
  config: NotificationConfig;
  store: Store;
  /** `fetch` (global in Node ≥ 18 and browsers); tests pass their own. */
  fetch: typeof fetch;
  clock: () => Date;
  randomHex12: () => string;
  crypto: EvidenceCrypto;
  /** Waits between retries; default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
};

/** The longest response excerpt kept in an error message. */
const ERROR_BODY_CHARS = 200;

/** Delivers approvals to the configured providers. */
export class ApprovalNotifier {
  readonly #options: NotifierOptions;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: NotifierOptions) {
    this.#options = options;
    this.#sleep =
      options.sleep ??
      ((ms) =>
        new Promise((resolve) => {
          setTimeout(resolve, ms);
        }));
  }

  /** The configured providers, in a stable order. */
  get providers(): NotificationProvider[] {
    return this.#options.config.providers.map((target) => target.provider);
  }

  /** Whether a transition notifies automatically. */
  wants(event: HistoryEvent): boolean {
    return this.#options.config.delivery.events.has(event);
  }

  /** The backoff before retry `n` (1-based): `backoff · 2^(n−1)`, at most the configured maximum. */
  backoffMs(retry: number): number {
    const { backoffMs, maxBackoffMs } = this.#options.config.delivery;
    return Math.min(maxBackoffMs, backoffMs * 2 ** (retry - 1));
  }

  /** Delivers `approval` to every selected provider in parallel; resolves once each has succeeded or given up. */
  async deliver(approval: Approval, options: DeliverOptions): Promise<DeliveryResult> {
    const wanted = options.providers;
    const targets = this.#options.config.providers.filter(
      (target) => wanted === undefined || wanted.includes(target.provider),
    );
    const generatedAt = formatTime(this.#options.clock());
    const deliveries = await Promise.all(
      targets.map((target) => this.#deliverOne(approval, target, options, generatedAt)),
    );
    return {
      schema_version: 'cavra.approval.delivery.v1',
      product: 'CAVRA',
      approval_id: approval.approval_id,
      decision_id: approval.decision_id,
      event: options.event,
      generated_at: generatedAt,
      success: deliveries.every((delivery) => delivery.success),
      deliveries,
    };
  }

  async #deliverOne(
    approval: Approval,
    target: ProviderTarget,
    options: DeliverOptions,
    timestamp: string,
  ): Promise<ProviderDelivery> {
    const { clock, randomHex12, crypto } = this.#options;
    const settings = this.#options.config.delivery;
    const maxAttempts = (options.retries ?? settings.retries) + 1;
    const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
    // INVARIANT: only the redacted payload is ever sent or hashed; credentials live in headers, never recorded.
    const body = JSON.stringify(
      redactJson(notificationPayload(target.provider, approval, timestamp, target.jira)),
    );
    const request: RecordedRequest = {
      method: target.method,
      url: redactUrl(target.url),
      headers: redactHeaders(target.headers),
    };
    const createdAt = formatTime(clock());
    const record: DeliveryRecord = {
      delivery_id: `dlv_${randomHex12()}`,
      subject_kind: 'approval',
      subject_id: approval.approval_id,
      provider: target.provider,
      status: 'pending',
      attempts: 0,
      next_attempt_at: null,
      created_at: createdAt,
      updated_at: createdAt,
      schema_version: 'cavra.delivery.v1',
      event: options.event,
      approval_id: approval.approval_id,
      decision_id: approval.decision_id,
      approval_state: approval.state,
      request,
      payload_sha256: toHex(crypto.sha256(utf8(body))),
      max_attempts: maxAttempts,
      attempt_log: [],
      status_code: null,
      error: null,
    };
    let outcome: AttemptOutcome = {
      statusCode: 0,
      success: false,
      error: 'not attempted',
      isRetryable: false,
    };
    let completedAt = createdAt;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const startedAt = formatTime(clock());
      outcome = await this.#attempt(target, body, timeoutMs);
      completedAt = formatTime(clock());
      const willRetry = !outcome.success && outcome.isRetryable && attempt < maxAttempts;
      const delay = willRetry ? this.backoffMs(attempt) : 0;
      const status: DeliveryStatus = outcome.success ? 'delivered' : willRetry ? 'retrying' : 'failed';
      const log = [
        ...(record['attempt_log'] as JsonObject[]),
        {
          attempt,
          started_at: startedAt,
          completed_at: completedAt,
          status_code: outcome.statusCode,
          success: outcome.success,
          error: outcome.error,
        },
      ];
      Object.assign(record, {
        status,
        attempts: attempt,
        updated_at: completedAt,
        next_attempt_at: willRetry ? formatTime(new Date(clock().getTime() + delay)) : null,
        attempt_log: log,
        status_code: outcome.statusCode,
        error: outcome.error,
      });
      await this.#record(record, approval, attempt, { startedAt, completedAt, outcome, status });
      if (!willRetry) break;
      await this.#sleep(delay);
    }
    return {
      provider: target.provider,
      delivery_id: record.delivery_id,
      success: outcome.success,
      status_code: outcome.statusCode,
      attempt_count: record.attempts,
      started_at: createdAt,
      completed_at: completedAt,
      error: outcome.error,
      request,
    };
  }

  async #attempt(target: ProviderTarget, body: string, timeoutMs: number): Promise<AttemptOutcome> {
    try {
      const response = await this.#options.fetch(target.url, {
        method: target.method,
        headers: target.headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return { statusCode: response.status, success: true, error: null, isRetryable: false };
      const excerpt = redactText(text.slice(0, ERROR_BODY_CHARS)).trim();
      return {
        statusCode: response.status,
        success: false,
        error: `HTTP ${response.status}${excerpt === '' ? '' : `: ${excerpt}`}`,
        // Server errors and throttling may pass; other 4xx (bad credentials, bad payload) will not.
        isRetryable: response.status >= 500 || response.status === 429 || response.status === 408,
      };
    } catch (error) {
      const isTimeout =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const message = isTimeout
        ? `timed out after ${timeoutMs / 1000} s`
        : redactText(error instanceof Error ? causeMessage(error) : String(error));
      return { statusCode: 0, success: false, error: message, isRetryable: true };
    }
  }

  /** The delivery row and the attempt's evidence entry, in one unit of work. */
  async #record(
    record: DeliveryRecord,
    approval: Approval,
    attempt: number,
    facts: { startedAt: string; completedAt: string; outcome: AttemptOutcome; status: DeliveryStatus },
  ): Promise<void> {
    const payload: JsonObject = {
      schema_version: 'cavra.delivery.attempt.v1',
      delivery_id: record.delivery_id,
      subject_kind: 'approval',
      approval_id: approval.approval_id,
      decision_id: approval.decision_id,
      session_id: approval.session_id ?? null,
      approval_state: approval.state,
      provider: record.provider,
      event: record['event'] as string,
      attempt,
      max_attempts: record['max_attempts'] as number,
      status: facts.status,
      success: facts.outcome.success,
      status_code: facts.outcome.statusCode,
      error: facts.outcome.error,
      started_at: facts.startedAt,
      completed_at: facts.completedAt,
      request: record['request'] as JsonObject,
      payload_sha256: record['payload_sha256'] as string,
    };
    await this.#options.store.transaction(async (tx) => {
      await tx.operations.deliveries.upsert({ ...record });
      await tx.evidence.append('delivery', payload, facts.completedAt);
    });
  }
}

type AttemptOutcome = { statusCode: number; success: boolean; error: string | null; isRetryable: boolean };

/** `fetch failed` says little; its cause (ECONNREFUSED …) says what happened. */
function causeMessage(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
