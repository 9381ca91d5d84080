/**
 * `retention-policy.json` (`cavra.evidence.retention.v1`, upstream §1.13) and its check during verification.
 */
import type { EvidenceResult, VerificationIssue } from '../types';
import { numberField } from './json-access';
import { addDays } from './python-time';

export const RETENTION_FILE = 'retention-policy.json';
export const RETENTION_SCHEMA = 'cavra.evidence.retention.v1';
/** Upstream's default: 2555 days, about seven years. */
export const DEFAULT_RETENTION_DAYS = 2555;
export const DEFAULT_CLASSIFICATION = 'regulated-sdlc';

/** The retention document, field for field as upstream writes it. */
export type RetentionPolicy = {
  schema_version: typeof RETENTION_SCHEMA;
  product: 'CAVRA';
  session_id: string;
  classification: string;
  created_at: string;
  retention_days: number;
  /** `created_at + retention_days`, Python `isoformat()` (no fraction when the microseconds are zero). */
  retain_until: string;
  legal_hold: boolean;
  delete_protection: true;
  disposition: 'retain' | 'eligible_for_review_after_retain_until';
};

/** Retention choices for a bundle; every field has upstream's default. */
export type RetentionOptions = { days?: number; classification?: string; legalHold?: boolean };

/** Builds the retention document; days must be a whole number ≥ 1, as upstream requires. */
export function buildRetentionPolicy(
  sessionId: string,
  createdAt: string,
  options: RetentionOptions = {},
): EvidenceResult<RetentionPolicy> {
  const days = options.days ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(days) || days < 1) {
    return {
      ok: false,
      error: {
        code: 'invalid_retention_days',
        message: `retention days must be a whole number ≥ 1, got ${days}`,
      },
    };
  }
  const retainUntil = addDays(createdAt, days);
  if (retainUntil === null) {
    return {
      ok: false,
      error: {
        code: 'invalid_created_at',
        message: `created_at "${createdAt}" is not an ISO-8601 timestamp in range`,
      },
    };
  }
  const legalHold = options.legalHold ?? false;
  return {
    ok: true,
    value: {
      schema_version: RETENTION_SCHEMA,
      product: 'CAVRA',
      session_id: sessionId,
      classification: options.classification ?? DEFAULT_CLASSIFICATION,
      created_at: createdAt,
      retention_days: days,
      retain_until: retainUntil,
      legal_hold: legalHold,
      delete_protection: true,
      disposition: legalHold ? 'retain' : 'eligible_for_review_after_retain_until',
    },
  };
}

/**
 * Upstream's `--minimum-retention-days` check over a parsed `retention-policy.json` (`undefined` when the
 * file is absent or unreadable): `missing retention policy` or `retention policy below minimum`.
 */
export function checkRetention(policy: unknown, minimumDays: number): VerificationIssue[] {
  const days = numberField(policy, 'retention_days');
  if (days === undefined) {
    return [{ code: 'missing_retention_policy', message: 'missing retention policy', file: RETENTION_FILE }];
  }
  if (days < minimumDays) {
    return [
      {
        code: 'retention_below_minimum',
        message: `retention policy below minimum: ${days} days < ${minimumDays} days`,
        file: RETENTION_FILE,
      },
    ];
  }
  return [];
}
