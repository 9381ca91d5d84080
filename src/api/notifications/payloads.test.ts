import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { Approval } from '../approvals/approval-record';
import { approvalSummary } from '../approvals/approval-record';
import {
  jiraPayload,
  notificationPayload,
  serviceNowPayload,
  slackPayload,
  teamsPayload,
  webhookPayload,
} from './payloads';
import { redactHeaders, redactJson, redactText, redactUrl } from './redact';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/approvals/${name}`, import.meta.url), 'utf8'));
}

const pending = fixture('approval.pending.example.json') as Approval;
const approved = fixture('approval.approved.example.json') as Approval;
const glass = fixture('approval.break-glass.example.json') as Approval;

test('the webhook envelope is upstream example for the pending approval, byte for byte as JSON', () => {
  const expected = fixture('approval-notification.webhook.example.json');
  expect(webhookPayload(pending, '2026-05-21T15:40:04.000000+00:00')).toEqual(expected);
  expect(webhookPayload(approved, 'now')).toMatchObject({ event_type: 'cavra.approval.approved' });
});

test('the attach summary is upstream example', () => {
  const attached = fixture('approval-summary.attached.example.json') as { approval: unknown };
  expect(approvalSummary(approved)).toEqual(attached.approval);
});

test('slack: text fallback, header and the four fields', () => {
  expect(slackPayload(approved)).toEqual({
    text: 'CAVRA approval approved for dec_1b2c3d4e5f60',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'CAVRA approval approved for dec_1b2c3d4e5f60' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Approver group*\nIAM' },
          { type: 'mrkdwn', text: '*State*\napproved' },
          { type: 'mrkdwn', text: '*Requested by*\ndeveloper' },
          { type: 'mrkdwn', text: '*External ref*\nCHG-123' },
        ],
      },
    ],
  });
  expect(JSON.stringify(slackPayload(pending))).toContain('*External ref*\\nnone');
});

test('teams: amber while pending, green after; the reason is the decision reason, else break-glass, else the decision', () => {
  const facts = (a: Approval) =>
    (teamsPayload(a)['sections'] as { facts: { name: string; value: string }[] }[])[0]?.facts;
  expect(teamsPayload(pending)).toMatchObject({
    '@type': 'MessageCard',
    themeColor: 'E0A800',
    title: 'CAVRA approval pending for dec_1b2c3d4e5f60',
  });
  expect(teamsPayload(approved)['themeColor']).toBe('2E7D32');
  expect(facts(pending)).toEqual([
    { name: 'Approver group', value: 'IAM' },
    { name: 'State', value: 'pending' },
    { name: 'Reason', value: 'Matched approval-required path policy: iam/**' },
  ]);
  expect(facts(approved)?.[2]?.value).toBe('Scoped IAM change reviewed');
  const { decision_reason: _dropped, ...glassWithoutDecisionReason } = glass;
  expect(facts(glassWithoutDecisionReason as Approval)?.[2]?.value).toBe('Production recovery');
});

test('jira: summary, the summary JSON as description, labels with the state; project and type when configured', () => {
  const payload = jiraPayload(approved, { projectKey: 'SEC', issueType: 'Task' });
  expect(payload).toEqual({
    fields: {
      project: { key: 'SEC' },
      issuetype: { name: 'Task' },
      summary: 'CAVRA approval approved for dec_1b2c3d4e5f60',
      description: JSON.stringify(approvalSummary(approved), null, 2),
      labels: ['cavra', 'ai-agent-approval', 'approved'],
    },
  });
  expect(jiraPayload(pending)['fields']).not.toHaveProperty('project');
});

test('servicenow: assigned to the approver group, correlated by the correlation id', () => {
  expect(serviceNowPayload(pending)).toEqual({
    short_description: 'CAVRA approval pending for dec_1b2c3d4e5f60',
    description:
      'Approval apr_5c6d7e8f9a0b is pending.\nTarget: iam/admin-role.tf\nReason: Matched approval-required path policy: iam/**',
    assignment_group: 'IAM',
    correlation_id: 'corr_222222222222',
  });
  expect(notificationPayload('servicenow', pending, 'now')).toEqual(serviceNowPayload(pending));
});

test('redaction: secrets in text and JSON payloads, credential headers, slack hooks and query strings', () => {
  expect(redactText('export AWS_SECRET_ACCESS_KEY=abc123xyz && aws s3 ls')).toBe(
    'export AWS_SECRET_ACCESS_KEY=REDACTED && aws s3 ls',
  );
  expect(redactText('key AKIAABCDEFGHIJKLMNOP and ghp_' + 'a'.repeat(36))).toBe('key REDACTED and REDACTED');
  expect(redactText('curl -H "Authorization: Bearer eyJhbGciOi.eyJzdWIiOiJ4.c2lnbmF0dXJl"')).not.toContain(
    'eyJ',
  );
  expect(redactText('psql postgres://app:hunter2@db/prod')).toBe('psql postgres://REDACTED@db/prod');
  expect(redactText('stripe sk_live_' + '9'.repeat(24) + ' done')).toBe('stripe REDACTED done');
  expect(redactText('password: "s3cret value"')).toBe('password: REDACTED');
  expect(redactText('Matched approval-required path policy: iam/**')).toBe(
    'Matched approval-required path policy: iam/**',
  );
  const json = redactJson({
    decision: { target: 'echo token=abcd1234' },
    list: ['ok', 'xoxb-1234567890-abc'],
  });
  expect(json).toEqual({ decision: { target: 'echo token=REDACTED' }, list: ['ok', 'REDACTED'] });
  expect(
    redactHeaders({ Authorization: 'Bearer x', 'X-Api-Key': 'k', 'content-type': 'application/json' }),
  ).toEqual({
    authorization: 'REDACTED',
    'x-api-key': 'REDACTED',
    'content-type': 'application/json',
  });
  expect(redactUrl('https://hooks.slack.com/services/T000/B000/XXXX')).toBe(
    'https://hooks.slack.com/services/REDACTED',
  );
  expect(redactUrl('https://example.test/hook?sig=abc')).toBe('https://example.test/hook?REDACTED');
  expect(redactUrl('https://user:pw@example.test/hook')).toBe('https://REDACTED@example.test/hook');
  expect(redactUrl('https://jira.example/rest/api/3/issue')).toBe('https://jira.example/rest/api/3/issue');
});
