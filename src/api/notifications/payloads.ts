/**
 * Approval notification payloads in upstream's shapes (§2.8): Slack blocks, a Teams MessageCard, a Jira issue,
 * a ServiceNow record and the generic webhook envelope (`cavra.approval.notification.v1`). Pure builders; the
 * notifier redacts secrets from what they return before anything leaves the process.
 */
import type { JsonObject } from '../../engine';
import { approvalSummary, type Approval } from '../approvals/approval-record';

/** The providers approvals can be delivered to. */
export const NOTIFICATION_PROVIDERS = ['slack', 'teams', 'jira', 'servicenow', 'webhook'] as const;
/** One of {@link NOTIFICATION_PROVIDERS}. */
export type NotificationProvider = (typeof NOTIFICATION_PROVIDERS)[number];

/** Extra Jira fields a deployment needs (its project and issue type). */
export type JiraOptions = { projectKey?: string; issueType?: string };

/** `CAVRA approval {state} for {decision_id}` (upstream's title). */
export function notificationTitle(approval: Approval): string {
  return `CAVRA approval ${approval.state} for ${approval.decision_id}`;
}

/** The reason shown: the decision reason, else the break-glass reason, else the decision's own reason. */
export function notificationReason(approval: Approval): string {
  const decisionReason = approval.decision['reason'];
  return (
    approval.decision_reason ??
    approval.break_glass_reason ??
    (typeof decisionReason === 'string' ? decisionReason : '')
  );
}

/** Slack: a `text` fallback and header + section blocks (approver group, state, requested by, external ref). */
export function slackPayload(approval: Approval): JsonObject {
  const title = notificationTitle(approval);
  const field = (label: string, value: string): JsonObject => ({
    type: 'mrkdwn',
    text: `*${label}*\n${value}`,
  });
  return {
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title } },
      {
        type: 'section',
        fields: [
          field('Approver group', approval.approver_group),
          field('State', approval.state),
          field('Requested by', approval.requested_by ?? 'unknown'),
          field('External ref', approval.external_ref ?? 'none'),
        ],
      },
    ],
  };
}

/** Teams: a MessageCard, amber while pending and green otherwise, with group, state and reason facts. */
export function teamsPayload(approval: Approval): JsonObject {
  const title = notificationTitle(approval);
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: title,
    themeColor: approval.state === 'pending' ? 'E0A800' : '2E7D32',
    title,
    sections: [
      {
        facts: [
          { name: 'Approver group', value: approval.approver_group },
          { name: 'State', value: approval.state },
          { name: 'Reason', value: notificationReason(approval) },
        ],
      },
    ],
  };
}

/** Jira: an issue whose description is the approval summary as indented JSON, labelled with the state. */
export function jiraPayload(approval: Approval, options: JiraOptions = {}): JsonObject {
  return {
    fields: {
      ...(options.projectKey !== undefined && { project: { key: options.projectKey } }),
      ...(options.issueType !== undefined && { issuetype: { name: options.issueType } }),
      summary: notificationTitle(approval),
      description: JSON.stringify(approvalSummary(approval), null, 2),
      labels: ['cavra', 'ai-agent-approval', approval.state],
    },
  };
}

/** ServiceNow: a record assigned to the approver group, correlated by the decision's correlation id. */
export function serviceNowPayload(approval: Approval): JsonObject {
  const reason = notificationReason(approval);
  const target = approval.decision['target'];
  return {
    short_description: notificationTitle(approval),
    description: [
      `Approval ${approval.approval_id} is ${approval.state}.`,
      typeof target === 'string' ? `Target: ${target}` : null,
      reason === '' ? null : `Reason: ${reason}`,
    ]
      .filter((line) => line !== null)
      .join('\n'),
    assignment_group: approval.approver_group,
    correlation_id: approval.correlation_id,
  };
}

/** The generic webhook envelope: the whole approval under `payload`. */
export function webhookPayload(approval: Approval, timestamp: string): JsonObject {
  return {
    schema_version: 'cavra.approval.notification.v1',
    product: 'CAVRA',
    event_type: `cavra.approval.${approval.state}`,
    timestamp,
    payload: JSON.parse(JSON.stringify(approval)) as JsonObject,
  };
}

/** The payload for `provider`. */
export function notificationPayload(
  provider: NotificationProvider,
  approval: Approval,
  timestamp: string,
  jira: JiraOptions = {},
): JsonObject {
  switch (provider) {
    case 'slack':
      return slackPayload(approval);
    case 'teams':
      return teamsPayload(approval);
    case 'jira':
      return jiraPayload(approval, jira);
    case 'servicenow':
      return serviceNowPayload(approval);
    case 'webhook':
      return webhookPayload(approval, timestamp);
    default: {
      const unknown: never = provider;
      throw new Error(`unknown notification provider ${String(unknown)}`);
    }
  }
}
