/** Approve / deny / expire / review in a dialog that requires a reason (never `window.prompt`). */
import { useState } from 'react';
import { Button, fieldClass, labelClass } from '../../../components/ui/button';
import { Modal } from '../../../components/ui/dialog';
import { errorMessage } from '../../../lib/api-client';
import type { Approval } from '../../../lib/api-types';
import { useUiStore } from '../../../lib/ui-store';
import { useActOnApproval, type ApprovalAction } from '../api/act-on-approval';

const TITLES: Record<ApprovalAction, string> = {
  approve: 'Approve',
  deny: 'Deny',
  expire: 'Expire',
  review: 'Review break-glass',
};

const MIN_REASON = 5;

export function DecideDialog({
  approval,
  action,
  onClose,
}: {
  approval: Approval;
  action: ApprovalAction | null;
  onClose: () => void;
}) {
  return (
    <Modal
      isOpen={action !== null}
      onClose={onClose}
      title={action ? `${TITLES[action]} ${approval.approval_id}` : ''}
    >
      {action ? <DecideForm key={action} approval={approval} action={action} onDone={onClose} /> : null}
    </Modal>
  );
}

function DecideForm({
  approval,
  action,
  onDone,
}: {
  approval: Approval;
  action: ApprovalAction;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [externalRef, setExternalRef] = useState('');
  const mutation = useActOnApproval();
  const toast = useUiStore((s) => s.toast);
  const isReasonShort = reason.trim().length < MIN_REASON;
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (isReasonShort) return;
        mutation.mutate(
          {
            approvalId: approval.approval_id,
            action,
            reason: reason.trim(),
            externalRef: externalRef.trim(),
          },
          {
            onSuccess: (updated) => {
              toast(
                `${approval.approval_id}: ${TITLES[action].toLowerCase()} recorded (now ${updated.state.replace('_', '-')})`,
                'success',
              );
              onDone();
            },
          },
        );
      }}
    >
      <p className="text-sm">
        {approval.decision.target ? (
          <span className="font-mono break-all">{approval.decision.target}</span>
        ) : null}{' '}
        — routed to {approval.approver_group}.
        {action === 'approve' && (approval.required_approvals ?? 1) > 1
          ? ` It needs ${approval.required_approvals} distinct approvers; ${approval.approvals?.length ?? 0} so far.`
          : ''}
      </p>
      <div>
        <label htmlFor="decide-reason" className={labelClass}>
          Reason (required, recorded in the evidence log)
        </label>
        <textarea
          id="decide-reason"
          autoFocus
          required
          minLength={MIN_REASON}
          rows={3}
          className={fieldClass}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
          }}
          aria-describedby="decide-reason-hint"
        />
        <p id="decide-reason-hint" className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
          At least {MIN_REASON} characters: say why, for the auditor who reads this later.
        </p>
      </div>
      <div>
        <label htmlFor="decide-ref" className={labelClass}>
          External reference (ticket, change id), optional
        </label>
        <input
          id="decide-ref"
          className={fieldClass}
          value={externalRef}
          onChange={(e) => {
            setExternalRef(e.target.value);
          }}
          placeholder="CHG-1234"
        />
      </div>
      {mutation.isError ? (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          {errorMessage(mutation.error)}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button
          type="submit"
          variant={action === 'approve' || action === 'review' ? 'primary' : 'danger'}
          disabled={isReasonShort || mutation.isPending}
        >
          {mutation.isPending ? 'Saving…' : TITLES[action]}
        </Button>
      </div>
    </form>
  );
}
