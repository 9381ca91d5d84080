/** Verify everything: the server re-hashes the whole log and checks every checkpoint; the report, in words. */
import { Button } from '../../../components/ui/button';
import { Facts, Section } from '../../../components/ui/layout';
import { YesNo } from '../../../components/ui/pill';
import { ErrorState } from '../../../components/ui/states';
import { formatCount, formatTime } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { useVerifyLog } from '../api/evidence-api';

export function VerifyPanel({ logSize }: { logSize: number }) {
  const verify = useVerifyLog();
  const now = useNow(200, verify.isPending);
  const elapsed = verify.isPending ? Math.max(0, now - verify.submittedAt) : 0;
  const report = verify.data;
  return (
    <Section
      title="Verify everything"
      actions={
        <Button
          variant="primary"
          onClick={() => {
            verify.mutate();
          }}
          disabled={verify.isPending}
        >
          {verify.isPending ? 'Verifying…' : 'Verify the whole log'}
        </Button>
      }
    >
      {verify.isPending ? (
        <div>
          <progress className="h-2 w-full accent-teal-700" aria-label="Verifying the evidence log" />
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
            Re-hashing {formatCount(logSize)} entries and checking every checkpoint signature…{' '}
            {(elapsed / 1000).toFixed(1)} s
          </p>
        </div>
      ) : null}
      {verify.isError ? (
        <ErrorState
          error={verify.error}
          what="the verification"
          onRetry={() => {
            verify.mutate();
          }}
        />
      ) : null}
      {report ? (
        <div className="space-y-2" aria-live="polite">
          <p className="flex items-center gap-2 text-sm font-medium">
            <YesNo value={report.valid} yes="valid" no="invalid" />
            {report.valid
              ? 'Every entry, link and signed checkpoint checks out.'
              : 'The log does not verify: see the errors.'}
          </p>
          <Facts
            rows={[
              ['Entries checked', formatCount(report.checked.entries)],
              [
                'Checkpoints',
                `${report.checked.checkpoints_verified} of ${report.checked.checkpoints} verified`,
              ],
              ['Covered by a checkpoint', formatCount(report.checked.covered_entries)],
              ['Trusted keys', report.trusted_key_ids.join(', ') || 'none'],
              [
                'Rollback anchor',
                report.trusted_checkpoint
                  ? `tree of ${report.trusted_checkpoint.tree_size}`
                  : 'none (warned below)',
              ],
              ['Verified at', formatTime(report.verified_at)],
            ]}
          />
          {[
            ...report.errors.map((e) => ({ ...e, level: 'error' })),
            ...report.warnings.map((w) => ({ ...w, level: 'warning' })),
          ].length > 0 ? (
            <ul className="space-y-1 text-sm">
              {report.errors.map((issue, i) => (
                <li key={`e${i}`} className="text-red-800 dark:text-red-300">
                  error {issue.code}: {issue.message}
                </li>
              ))}
              {report.warnings.map((issue, i) => (
                <li key={`w${i}`} className="text-amber-900 dark:text-amber-200">
                  warning {issue.code}: {issue.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : !verify.isPending && !verify.isError ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Not verified in this session yet.</p>
      ) : null}
    </Section>
  );
}
