/**
 * The two Markdown files of a bundle: the PR attestation (upstream's format, line for line) with its
 * verification (`cavra.pr-attestation.verification.v1`, upstream §1.11), and the compliance mapping.
 */
import type { VerificationIssue } from '../types';
import { countDecisions, type BundleDecision } from './records';

export const ATTESTATION_FILE = 'pr-attestation.md';
export const COMPLIANCE_FILE = 'compliance-mapping.md';
export const ATTESTATION_TITLE = '# CAVRA PR Attestation';
export const TAGLINE = 'Before the agent acts, CAVRA decides.';

/** Python's `str()` of a value in an f-string: `None` for a missing value. */
function py(value: string | null | undefined): string {
  return value ?? 'None';
}

/** The decision line the attestation carries for one decision. */
export function attestationLine(d: BundleDecision): string {
  return `- \`${d.action_type}\` \`${d.target}\` -> **${d.decision}** via \`${d.rule_id}\``;
}

function approvalLines(decisions: readonly BundleDecision[]): string[] {
  return decisions.flatMap((d) => {
    const a = d.approval;
    if (!a) return [];
    const by = a.decided_by || a.approver_group; // Python `or`: an empty decided_by falls through too
    return [`- \`${py(a.approval_id)}\` \`${d.target}\` -> **${py(a.state)}** by \`${py(by)}\``];
  });
}

/** `pr-attestation.md` exactly as upstream writes it. */
export function buildPrAttestation(sessionId: string, decisions: readonly BundleDecision[]): string {
  const counts = countDecisions(decisions);
  const approvals = approvalLines(decisions);
  const lines = [
    ATTESTATION_TITLE,
    '',
    TAGLINE,
    '',
    `Session: \`${sessionId}\``,
    '',
    '## Summary',
    '',
    `- Allowed actions: ${counts.allowed}`,
    `- Blocked actions: ${counts.blocked}`,
    `- Approval-required actions: ${counts.approvalRequired}`,
    '',
    '## Decisions',
    '',
    ...decisions.map(attestationLine),
    '',
    ...(approvals.length > 0 ? ['## Approval Outcomes', '', ...approvals, ''] : []),
    '## Reviewer Guidance',
    '',
    'Review blocked and approval-required actions before merge. Attach this attestation to AI-assisted pull ' +
      'requests in regulated repositories.',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The control objectives upstream maps, in upstream's order and with upstream's objective names; the evidence
 * column is our own wording of what the bundle provides for each.
 */
export const COMPLIANCE_ROWS: readonly (readonly [objective: string, evidence: string])[] = [
  ['Secret exposure prevention', 'File-read decisions, including blocks by sensitive-path rules'],
  ['Change control', 'Decisions that required approval, with the approver group they were routed to'],
  ['Least privilege', 'Decisions on IAM, cloud, Kubernetes and MCP actions'],
  [
    'Audit logging',
    'The signed manifest and file checksums; timestamps, rule IDs and correlation IDs per decision',
  ],
  ['Human oversight', '`require_approval` outcomes and the PR attestation'],
];

/** `compliance-mapping.md`: upstream's layout (title, session line, two-column table) with our wording. */
export function buildComplianceMapping(sessionId: string): string {
  const rows = COMPLIANCE_ROWS.map(([objective, evidence]) => `| ${objective} | ${evidence} |`);
  const lines = [
    '# CAVRA Compliance Mapping',
    '',
    `Session: \`${sessionId}\``,
    '',
    '| Control objective | CAVRA evidence |',
    '| --- | --- |',
    ...rows,
  ];
  return `${lines.join('\n')}\n`;
}

/** The result of checking a PR attestation against a session's decisions. */
export type AttestationVerification = {
  schema_version: 'cavra.pr-attestation.verification.v1';
  session_id: string;
  valid: boolean;
  /** Upstream's error strings. */
  errors: string[];
  decision_count: number;
  attestation_path: string;
  /** CAVRA: the decision targets that have no line, in decision order. */
  missing_targets: string[];
  /** The same problems as `errors`, with stable codes. */
  issues: VerificationIssue[];
};

/**
 * Checks the title, the `Session:` line, the summary counts, and that every decision has its line (action,
 * target, outcome and rule: a bare substring of the target, which upstream accepts, is not enough).
 * `markdown` is `undefined` when the file is missing.
 */
export function verifyPrAttestation(
  markdown: string | undefined,
  sessionId: string,
  decisions: readonly BundleDecision[],
  attestationPath: string = ATTESTATION_FILE,
): AttestationVerification {
  const issues: VerificationIssue[] = [];
  const missingTargets: string[] = [];
  const add = (code: string, message: string): void => {
    issues.push({ code, message, file: attestationPath });
  };
  if (markdown === undefined) {
    add('missing_attestation', `missing ${ATTESTATION_FILE}`);
  } else {
    const lines = new Set(markdown.split('\n'));
    if (!lines.has(ATTESTATION_TITLE)) add('missing_attestation_title', 'missing attestation title');
    if (!lines.has(`Session: \`${sessionId}\``)) add('session_id_mismatch', 'session ID mismatch');
    const counts = countDecisions(decisions);
    const expected = [
      `- Allowed actions: ${counts.allowed}`,
      `- Blocked actions: ${counts.blocked}`,
      `- Approval-required actions: ${counts.approvalRequired}`,
    ];
    for (const line of expected.filter((l) => !lines.has(l)))
      add('summary_mismatch', `summary mismatch: expected "${line}"`);
    for (const d of decisions.filter((decision) => !lines.has(attestationLine(decision)))) {
      missingTargets.push(d.target);
      add('missing_decision_target', `missing decision target: ${d.target}`);
    }
  }
  return {
    schema_version: 'cavra.pr-attestation.verification.v1',
    session_id: sessionId,
    valid: issues.length === 0,
    errors: issues.map((issue) => issue.message),
    decision_count: decisions.length,
    attestation_path: attestationPath,
    missing_targets: missingTargets,
    issues,
  };
}
