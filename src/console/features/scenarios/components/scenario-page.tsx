/**
 * "Run agent scenario" (issue 6 §3, reference §2.2 and §3.1): the scripted actions of a scenario decided one by
 * one by the engine behind the API, as cards with rule, reason, severity and evidence ref; the counts a
 * presenter reads out; the run as evidence (bundle download, log verification). Scenario, mode and the run
 * itself live in the URL, so a link shows the same run.
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, fieldClass, labelClass } from '../../../components/ui/button';
import { PageHeader, Section, Stat } from '../../../components/ui/layout';
import { errorMessage } from '../../../lib/api-client';
import type { Decision, PolicyMode } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { downloadRunBundle, verifyLog } from '../api/scenario-api';
import { SCENARIO_MODES, SCENARIOS, scenarioById, type Scenario } from '../model/catalogue';
import { tallyDecisions } from '../model/run-scenario';
import { DecisionCard } from './decision-card';
import { useScenarioRun } from './use-scenario-run';

function isMode(value: string | null): value is PolicyMode {
  return SCENARIO_MODES.some((entry) => entry.mode === value);
}

const REMEDIATION: Readonly<Record<string, string>> = {
  block: 'Use an approved workflow or request a policy exception.',
  require_approval: 'Wait for the approver group to decide; the request is in Approvals.',
};

/** The run as one JSON document (what the Evidence JSON column shows). */
function runEnvelope(
  scenario: Scenario,
  mode: PolicyMode,
  sessionId: string | null,
  decisions: readonly Decision[],
) {
  const tally = tallyDecisions(decisions);
  return {
    schema_version: 'cavra.scenario.run.v1',
    run_id: sessionId,
    scenario: scenario.id,
    policy_mode: mode,
    policy_pack: scenario.policy_pack,
    tagline: scenario.tagline,
    decision_count: tally.decisions,
    blocked_count: tally.blocked,
    approval_required_count: tally.approval_required,
    events: decisions.map((d) => ({
      decision_id: d.decision_id,
      actor: d.actor,
      action_type: d.action_type,
      target: d.target,
      decision: d.decision,
      rule_id: d.rule_id,
      severity: d.severity,
      reason: d.reason,
      evidence_refs: d.evidence_refs,
      remediation: REMEDIATION[d.decision] ?? 'Continue with recorded evidence.',
    })),
  };
}

export function ScenarioPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const scenario = scenarioById(params.get('scenario'));
  const modeParam = params.get('mode');
  const mode: PolicyMode = isMode(modeParam) ? modeParam : 'enforce';
  const setParam = (key: string, value: string | null) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'run') next.delete('run');
        return next;
      },
      { replace: true },
    );
  };
  const run = useScenarioRun(scenario, mode, params.get('run'), (id) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set('scenario', scenario.id);
        next.set('mode', mode);
        next.set('run', id);
        return next;
      },
      { replace: true },
    );
  });
  const [evidenceStatus, setEvidenceStatus] = useState('');
  const decisions = run.state.status === 'idle' ? [] : run.state.decisions;
  const tally = tallyDecisions(decisions);
  const isRunning = run.state.status === 'running';
  const hasRun = run.state.status === 'done' && run.sessionId !== null;

  const handleDownload = () => {
    if (run.sessionId === null) return;
    setEvidenceStatus('Building the signed bundle…');
    downloadRunBundle(api, run.sessionId)
      .then((name) => {
        setEvidenceStatus(`Downloaded ${name}: verify it with npx cavra evidence verify ${name}.`);
      })
      .catch((error: unknown) => {
        setEvidenceStatus(`Download failed: ${errorMessage(error)}`);
      });
  };
  const handleVerify = () => {
    setEvidenceStatus('Verifying the evidence log…');
    verifyLog(api)
      .then((report) => {
        setEvidenceStatus(
          report.valid
            ? `Evidence log verified: ${report.checked.entries} entries, ${report.checked.checkpoints_verified} signed checkpoints, no errors.`
            : `Evidence log INVALID: ${report.errors.map((e) => e.message).join('; ')}`,
        );
      })
      .catch((error: unknown) => {
        setEvidenceStatus(`Verification failed: ${errorMessage(error)}`);
      });
  };

  return (
    <div className="space-y-4">
      <PageHeader
        title="Run agent scenario"
        description={
          <>
            {scenario.tagline} The agent was asked: <q>{scenario.prompt}</q>
          </>
        }
      />
      <Section title="Scenario" className="space-y-3">
        <div data-tour="scenario-controls" className="flex flex-wrap items-end gap-3">
          <label className="min-w-56">
            <span className={labelClass}>Scenario</span>
            <select
              className={fieldClass}
              value={scenario.id}
              onChange={(e) => {
                setParam('scenario', e.target.value);
              }}
            >
              {SCENARIOS.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </label>
          <label className="min-w-40">
            <span className={labelClass}>Policy mode</span>
            <select
              className={fieldClass}
              value={mode}
              onChange={(e) => {
                setParam('mode', e.target.value);
              }}
            >
              {SCENARIO_MODES.map((m) => (
                <option key={m.mode} value={m.mode}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <Button variant="primary" disabled={isRunning || !run.canRun} onClick={() => void run.start()}>
            {isRunning ? 'Running…' : 'Run agent scenario'}
          </Button>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Acting as <strong>{run.actor?.actor ?? 'nobody'}</strong>
            {run.actor ? ` (${run.actor.groups.join(', ') || 'no groups'})` : ''}
            {mode === 'break_glass'
              ? run.permissions?.create_break_glass
                ? ': may break glass, so actions are allowed with attestation.'
                : ': may not break glass, so the API refuses the run.'
              : ''}
          </p>
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Pack <code>{scenario.policy_pack}</code> · repository <code>{scenario.repository}</code> · agent{' '}
          <code>{scenario.agent_id}</code>
        </p>
      </Section>

      <section
        data-tour="scenario-metrics"
        className="grid grid-cols-2 gap-3 sm:grid-cols-5"
        aria-label="Run metrics"
      >
        <Stat label="Decisions" value={tally.decisions} hint={`of ${scenario.actions.length}`} />
        <Stat label="Blocked" value={tally.blocked} />
        <Stat label="Approval required" value={tally.approval_required} />
        <Stat label="Allowed" value={tally.allowed} hint={`${tally.attested} with attestation`} />
        <Stat label="Audit-only" value={tally.audit_only} />
      </section>
      {run.state.status === 'failed' ? (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          The run stopped: {run.state.message}
        </p>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_minmax(0,1.4fr)]">
        <Section title="Agent actions">
          <ol className="space-y-1.5 text-sm">
            {scenario.actions.map((action, index) => (
              <li key={action.id} className="flex gap-2">
                <span className="w-4 text-right text-xs text-slate-500 tabular-nums">{index + 1}</span>
                <span>
                  {action.label}
                  <span className="block font-mono text-xs break-all text-slate-600 dark:text-slate-400">
                    {action.request.action_type} {action.request.target}
                  </span>
                </span>
                <span className="ml-auto text-xs">
                  <span aria-hidden="true">
                    {index < decisions.length ? '✓' : isRunning && index === decisions.length ? '…' : ''}
                  </span>
                  <span className="sr-only">{index < decisions.length ? 'decided' : 'waiting'}</span>
                </span>
              </li>
            ))}
          </ol>
        </Section>
        <Section title="CAVRA decisions">
          <div data-tour="scenario-decisions">
            {decisions.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {isRunning
                  ? 'Deciding…'
                  : 'Run the scenario: each action is decided by the engine and recorded as evidence.'}
              </p>
            ) : (
              <ol className="space-y-2" aria-label="Decisions" aria-live="polite">
                {decisions.map((decision, index) => {
                  const action = scenario.actions[index];
                  return action ? (
                    <DecisionCard
                      key={decision.decision_id}
                      action={action}
                      decision={decision}
                      index={index}
                    />
                  ) : null;
                })}
              </ol>
            )}
          </div>
        </Section>
        <Section
          title="Evidence JSON"
          actions={
            <div data-tour="scenario-download" className="flex gap-2">
              <Button disabled={!hasRun} onClick={handleDownload}>
                Download evidence bundle
              </Button>
              <Button disabled={!hasRun} onClick={handleVerify}>
                Verify evidence log
              </Button>
            </div>
          }
        >
          <div data-tour="scenario-evidence">
            <p role="status" aria-live="polite" className="mb-2 text-xs text-slate-700 dark:text-slate-300">
              {evidenceStatus}
            </p>
            <pre
              tabIndex={0}
              aria-label="The run as JSON"
              className="max-h-[32rem] overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-950"
            >
              {JSON.stringify(runEnvelope(scenario, mode, run.sessionId, decisions), null, 2)}
            </pre>
          </div>
        </Section>
      </div>
    </div>
  );
}
