/**
 * Plain-text rendering of a bundle verification for humans (the CLI adds colour). A bundle whose files match
 * but whose signature nobody checked must never read as a clean pass: it gets a banner above everything else.
 */
import type { VerificationIssue } from '../types';
import type { BundleVerificationReport } from './verify';

/** True when the report passed only on integrity: no signature was checked with caller-supplied key material. */
export function isUnverifiedPass(report: BundleVerificationReport): boolean {
  return report.valid && !report.signature.verified;
}

function line(kind: 'error' | 'warning', issue: VerificationIssue): string {
  const where =
    issue.file === undefined
      ? ''
      : ` [${issue.file}${issue.sequence === undefined ? '' : `#${issue.sequence}`}]`;
  return `  ${kind.padEnd(7)} ${issue.code}${where}: ${issue.message}`;
}

function signatureSummary(report: BundleVerificationReport): string {
  const { algorithm, verified, keyId, trustRoot } = report.signature;
  if (!verified) return `signature: ${algorithm ?? 'none'}, NOT verified`;
  const by =
    trustRoot === undefined
      ? ''
      : ` (trust root ${trustRoot.key_id}, ${trustRoot.status}, owner ${trustRoot.owner})`;
  return `signature: ${algorithm ?? '?'} verified${keyId === undefined ? '' : `, key ${keyId}`}${by}`;
}

/** The report as text: a banner for unverified passes, a status line, the signature, then every issue. */
export function formatBundleReport(report: BundleVerificationReport): string {
  const out: string[] = [];
  if (isUnverifiedPass(report)) {
    const unsigned = report.warnings.some((w) => w.code === 'manifest_unsigned');
    out.push(
      '!!! SIGNATURE NOT VERIFIED !!!',
      unsigned
        ? 'The manifest carries only a SHA256 digest: anyone can recompute it, so nothing says who made this bundle.'
        : 'The manifest is signed, but no key was supplied to check the signature: it may be forged.',
      'Verify with --key (HS256) or --public-key / --trust-root (Ed25519); --require-signature makes this fail.',
      '',
    );
  }
  const session = report.session_id === null ? '' : ` for session ${report.session_id}`;
  const status = !report.valid ? 'INVALID' : isUnverifiedPass(report) ? 'VALID (integrity only)' : 'VALID';
  const counts = `${report.errors.length} error(s), ${report.warnings.length} warning(s)`;
  out.push(`${status}: evidence bundle${session} — ${counts}`, `  ${signatureSummary(report)}`);
  const checked = Object.entries(report.checked).map(([k, v]) => `${k} ${v}`);
  out.push(`  checked: ${checked.join(', ')}`);
  out.push(...report.errors.map((e) => line('error', e)));
  out.push(...report.warnings.map((w) => line('warning', w)));
  return `${out.join('\n')}\n`;
}
