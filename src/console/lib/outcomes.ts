/**
 * One colour per decision and per severity, everywhere (STYLE.md "UI language"). Every pill also carries
 * text and a glyph, so colour is never the only signal. Class names are literal so Tailwind finds them.
 */
import type { ApprovalState, Outcome, Severity } from './api-types';

type Look = { label: string; glyph: string; className: string };

export const OUTCOME_LOOK: Readonly<Record<Outcome, Look>> = {
  allow: {
    label: 'allow',
    glyph: '✓',
    className:
      'bg-emerald-100 text-emerald-900 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200',
  },
  require_approval: {
    label: 'require approval',
    glyph: '‖',
    className: 'bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200',
  },
  block: {
    label: 'block',
    glyph: '✕',
    className: 'bg-red-100 text-red-900 ring-red-600/30 dark:bg-red-950 dark:text-red-200',
  },
  warn: {
    label: 'warn',
    glyph: '!',
    className: 'bg-orange-100 text-orange-900 ring-orange-600/30 dark:bg-orange-950 dark:text-orange-200',
  },
  audit_only: {
    label: 'audit only',
    glyph: '◌',
    className: 'bg-slate-200 text-slate-800 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-200',
  },
  allow_with_attestation: {
    label: 'allow with attestation',
    glyph: '✓',
    className: 'bg-sky-100 text-sky-900 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200',
  },
};

/** Bar colours for charts: the same hue as the pills. */
export const OUTCOME_FILL: Readonly<Record<Outcome, string>> = {
  allow: 'fill-emerald-500',
  require_approval: 'fill-amber-500',
  block: 'fill-red-600',
  warn: 'fill-orange-500',
  audit_only: 'fill-slate-400',
  allow_with_attestation: 'fill-sky-500',
};

export const SEVERITY_LOOK: Readonly<Record<Severity, Look>> = {
  low: {
    label: 'low',
    glyph: '▁',
    className: 'bg-slate-100 text-slate-700 ring-slate-400/40 dark:bg-slate-800 dark:text-slate-300',
  },
  medium: {
    label: 'medium',
    glyph: '▃',
    className: 'bg-yellow-50 text-yellow-900 ring-yellow-500/40 dark:bg-yellow-950 dark:text-yellow-200',
  },
  high: {
    label: 'high',
    glyph: '▅',
    className: 'bg-orange-50 text-orange-900 ring-orange-500/40 dark:bg-orange-950 dark:text-orange-200',
  },
  critical: {
    label: 'critical',
    glyph: '▇',
    className:
      'bg-fuchsia-100 text-fuchsia-900 ring-fuchsia-600/40 dark:bg-fuchsia-950 dark:text-fuchsia-200',
  },
};

export const APPROVAL_STATE_LOOK: Readonly<Record<ApprovalState, Look>> = {
  pending: { label: 'pending', glyph: '‖', className: OUTCOME_LOOK.require_approval.className },
  approved: { label: 'approved', glyph: '✓', className: OUTCOME_LOOK.allow.className },
  denied: { label: 'denied', glyph: '✕', className: OUTCOME_LOOK.block.className },
  expired: { label: 'expired', glyph: '○', className: OUTCOME_LOOK.audit_only.className },
  break_glass: {
    label: 'break-glass',
    glyph: '⚠',
    className: 'bg-purple-100 text-purple-900 ring-purple-600/30 dark:bg-purple-950 dark:text-purple-200',
  },
};

export const OUTCOMES: readonly Outcome[] = Object.keys(OUTCOME_LOOK) as Outcome[];
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
export const APPROVAL_STATES: readonly ApprovalState[] = Object.keys(APPROVAL_STATE_LOOK) as ApprovalState[];

export function isOutcome(value: string): value is Outcome {
  return value in OUTCOME_LOOK;
}
export function isSeverity(value: string): value is Severity {
  return value in SEVERITY_LOOK;
}
export function isApprovalState(value: string): value is ApprovalState {
  return value in APPROVAL_STATE_LOOK;
}
