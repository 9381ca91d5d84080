import {
  APPROVAL_STATE_LOOK,
  OUTCOME_LOOK,
  SEVERITY_LOOK,
  isApprovalState,
  isOutcome,
  isSeverity,
} from '../../lib/outcomes';

type PillProps = { glyph: string; label: string; className: string; title?: string | undefined };

function Pill({ glyph, label, className, title }: PillProps) {
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${className}`}
      title={title}
    >
      <span aria-hidden="true">{glyph}</span>
      {label}
    </span>
  );
}

/** A decision outcome: one colour, one glyph and its name. */
export function OutcomePill({ outcome }: { outcome: string }) {
  if (!isOutcome(outcome))
    return <Pill glyph="?" label={outcome} className={OUTCOME_LOOK.audit_only.className} />;
  return <Pill {...OUTCOME_LOOK[outcome]} title={`decision: ${OUTCOME_LOOK[outcome].label}`} />;
}

export function SeverityPill({ severity }: { severity: string }) {
  if (!isSeverity(severity))
    return <Pill glyph="?" label={severity} className={SEVERITY_LOOK.low.className} />;
  return <Pill {...SEVERITY_LOOK[severity]} title={`severity: ${severity}`} />;
}

export function ApprovalStatePill({ state }: { state: string }) {
  if (!isApprovalState(state))
    return <Pill glyph="?" label={state} className={SEVERITY_LOOK.low.className} />;
  return <Pill {...APPROVAL_STATE_LOOK[state]} title={`approval: ${APPROVAL_STATE_LOOK[state].label}`} />;
}

/** A neutral tag (groups, capabilities, trust tiers). */
export function Tag({ children }: { children: React.ReactNode }) {
  return (
    <span className="inline-flex items-center rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
      {children}
    </span>
  );
}

/** Yes / no with a word, never colour alone. */
export function YesNo({ value, yes = 'yes', no = 'no' }: { value: boolean; yes?: string; no?: string }) {
  return value ? (
    <Pill glyph="✓" label={yes} className={OUTCOME_LOOK.allow.className} />
  ) : (
    <Pill glyph="✕" label={no} className={SEVERITY_LOOK.low.className} />
  );
}
