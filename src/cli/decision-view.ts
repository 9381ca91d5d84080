import type { Decision, MatchedRule } from '../engine';
import { decisionColor, renderTable, severityColor, truncate, type Cell } from './format';

type ViewOptions = { color: boolean };

function decisionCell(decision: Decision['decision']): Cell {
  return { text: decision, color: decisionColor(decision) };
}

/**
 * The human summary of one decision: what the agent must do and why, as aligned `key  value` lines, then
 * one row per simple command for commands.
 */
export function renderDecision(decision: Decision, options: ViewOptions): string {
  const modeNote =
    decision.mode === 'enforce' ? 'enforce' : `${decision.mode} (policy said ${decision.base_decision})`;
  const rows: Cell[][] = [
    ['decision', decisionCell(decision.decision)],
    ['rule', decision.rule_id],
    ['severity', { text: decision.severity, color: severityColor(decision.severity) }],
    ['reason', decision.reason],
    ['approver group', decision.approver_group ?? 'none'],
    ['action', `${decision.action_type} ${decision.target}`],
    ['pack', decision.policy_pack],
    ['mode', modeNote],
  ];
  if (decision.mode !== 'enforce') rows.push(['mode reason', decision.mode_reason]);
  let text = renderTable(rows, options);
  if (decision.segments !== undefined && decision.segments.length > 0) {
    const segmentRows: Cell[][] = [
      ['segment', 'decision', 'rule'],
      ...decision.segments.map((segment) => [
        segment.command,
        decisionCell(segment.decision),
        segment.rule_id,
      ]),
    ];
    text += `\n${renderTable(segmentRows, { ...options, header: true })}`;
  }
  return text;
}

/**
 * The full explanation (`cavra policy explain`): the summary, then every rule that contributed (pattern,
 * pack, and the segment or path it met), every segment with where it was found, and the record ids.
 */
export function renderExplanation(decision: Decision, options: ViewOptions): string {
  const lines = [renderDecision(decision, options)];
  lines.push(`\n${explainOutcome(decision)}\n`);
  if (decision.matched_rules.length > 0) {
    const ruleRows: Cell[][] = [
      ['#', 'rule', 'decision', 'severity', 'pattern', 'pack', 'matched'],
      ...decision.matched_rules.map((rule, index) => [
        String(index + 1),
        rule.rule_id,
        decisionCell(rule.decision),
        { text: rule.severity, color: severityColor(rule.severity) },
        rule.pattern ?? '-',
        rule.pack ?? '-',
        matchedWhere(rule),
      ]),
    ];
    lines.push(`\nmatched rules\n${renderTable(ruleRows, { ...options, header: true, indent: '  ' })}`);
  }
  if (decision.segments !== undefined && decision.segments.length > 0) {
    const segmentRows: Cell[][] = [
      ['segment', 'program', 'found in', 'decision', 'rule'],
      ...decision.segments.map((segment) => [
        segment.command,
        segment.program ?? '(dynamic)',
        segment.context,
        decisionCell(segment.decision),
        segment.rule_id,
      ]),
    ];
    lines.push(`\nsegments\n${renderTable(segmentRows, { ...options, header: true, indent: '  ' })}`);
  }
  const record: Cell[][] = [
    ['decision id', decision.decision_id],
    ['correlation id', decision.correlation_id],
    ['evidence', decision.evidence_refs.join(', ')],
    ['policy revision', decision.policy_revision],
    ['evidence required', decision.evidence_required ? 'yes' : 'no'],
    ['timestamp', decision.timestamp],
  ];
  lines.push(`\nrecord\n${renderTable(record, { ...options, indent: '  ' })}`);
  return lines.join('');
}

function explainOutcome(decision: Decision): string {
  const count = decision.matched_rules.length;
  const basis =
    count === 0
      ? 'no rule matched'
      : `${count} rule${count === 1 ? '' : 's'} matched; the strictest wins (block > require_approval > allow)` +
        ` and the first of those is reported (${decision.rule_id})`;
  const mode =
    decision.mode === 'enforce'
      ? ''
      : `; ${decision.mode} mode turned ${decision.base_decision} into ${decision.decision}`;
  return `why: ${basis}${mode}.`;
}

function matchedWhere(rule: MatchedRule): string {
  if (rule.path !== undefined && rule.access !== undefined) {
    const via = rule.segment === undefined ? '' : ` (in: ${rule.segment})`;
    return `${rule.access} ${rule.path}${via}`;
  }
  if (rule.path !== undefined)
    return `${rule.path}${rule.segment === undefined ? '' : ` (in: ${rule.segment})`}`;
  if (rule.segment !== undefined) return `segment: ${rule.segment}`;
  return '-';
}

/** One row per decision of an `--input` batch (with mode columns when any request is not enforced), then counts. */
export function renderBatch(
  slots: readonly ({ decision: Decision } | { error: { code: string; message: string } })[],
  options: ViewOptions,
): string {
  const withModes = slots.some((slot) => 'decision' in slot && slot.decision.mode !== 'enforce');
  const modeHeader = withModes ? ['mode', 'policy said'] : [];
  const rows: Cell[][] = [['#', 'decision', ...modeHeader, 'rule', 'severity', 'action', 'target']];
  const counts = new Map<string, number>();
  slots.forEach((slot, index) => {
    const key = 'decision' in slot ? slot.decision.decision : 'error';
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if ('error' in slot) {
      const blanks = withModes ? ['', ''] : [];
      rows.push([
        String(index),
        { text: 'error', color: 'red' },
        ...blanks,
        slot.error.code,
        '',
        '',
        truncate(slot.error.message, 60),
      ]);
      return;
    }
    const d = slot.decision;
    const policySaid: Cell = d.base_decision === d.decision ? '' : decisionCell(d.base_decision);
    const modeCells: Cell[] = withModes ? [d.mode, policySaid] : [];
    rows.push([
      String(index),
      decisionCell(d.decision),
      ...modeCells,
      d.rule_id,
      { text: d.severity, color: severityColor(d.severity) },
      d.action_type,
      truncate(d.target, 60),
    ]);
  });
  const summary = [...counts].map(([key, n]) => `${n} ${key}`).join(', ');
  const total = `${slots.length} request${slots.length === 1 ? '' : 's'}`;
  return `${renderTable(rows, { ...options, header: true })}\n${total}: ${summary || 'nothing to evaluate'}\n`;
}
