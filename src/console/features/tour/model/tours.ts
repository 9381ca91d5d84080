/**
 * The presenter tours (issue 6 §4): reference upstream-console-sandbox.md §3.1 (the nine-step "Before the
 * Agent Acts" narration) and §3.2 (the 30-minute final-closeout script), as steps that each open a page,
 * point at one element and give the talking points. Targets are selectors over stable hooks (`data-tour`
 * attributes, section labels, headings), so pages own their markup and the tour only points.
 */

/** One step: where to go, what to highlight, what to say. */
export type TourStep = {
  title: string;
  /** The route (with its search) the step opens. */
  to: string;
  /** CSS selectors tried in order; the first element found is highlighted. */
  targets: readonly string[];
  points: readonly string[];
  /** Which persona the step is meant for (the presenter switches in the sandbox bar or signs in as one). */
  persona?: string;
  minutes?: number;
};

export type Tour = { id: TourId; title: string; summary: string; steps: readonly TourStep[] };

export type TourId = 'first-demo' | 'final-closeout';

const HEADING = 'main h1';
const SCENARIO = '/scenarios?scenario=before-the-agent-acts&mode=enforce';

export const FIRST_DEMO: Tour = {
  id: 'first-demo',
  title: 'Before the Agent Acts (first demo, 9 steps)',
  summary: 'The recommended first demo: one agent task, seven decisions, then approvals and evidence.',
  steps: [
    {
      title: 'Frame it',
      to: '/',
      targets: ['[role="region"][aria-label="Sandbox"]', HEADING],
      points: [
        'Before the agent acts, CAVRA decides.',
        'This is the real engine and API, running in the browser on synthetic data: nothing to install.',
        'Every number on this page is computed from stored decisions, never typed in.',
      ],
    },
    {
      title: 'Pick persona and mode, run the scenario',
      to: SCENARIO,
      targets: ['[data-tour="scenario-controls"]'],
      persona: 'Developer',
      points: [
        'Start as the Developer persona, policy mode Enforce.',
        'The agent was asked to "update this payment service and deploy the infrastructure".',
        'Click Run agent scenario: seven actions, each decided before it happens.',
      ],
    },
    {
      title: 'Narrate each decision',
      to: SCENARIO,
      targets: ['[data-tour="scenario-decisions"]'],
      points: [
        'Reading the secrets file (.env): blocked.',
        'The IAM role change: routed to Platform Security for approval.',
        'terraform plan: allowed. terraform apply -auto-approve: blocked, critical.',
        'An unknown MCP server: blocked. A direct push to main: blocked.',
        'The pull request: allowed with attestation.',
      ],
    },
    {
      title: 'Every event is evidence',
      to: SCENARIO,
      targets: ['[data-tour="scenario-evidence"]'],
      points: [
        'Each event carries its rule id, reason, severity, remediation and an evidence reference.',
        'They are entries of a hash-chained log with signed checkpoints, not just log lines.',
      ],
    },
    {
      title: 'The counts',
      to: SCENARIO,
      targets: ['[data-tour="scenario-metrics"]'],
      points: [
        'Seven decisions: four blocked, one waiting for approval, two allowed (one with attestation).',
      ],
    },
    {
      title: 'Approvals: blocked is not the same as "not automatically allowed"',
      to: '/approvals',
      targets: [HEADING],
      persona: 'Platform Security approver',
      points: [
        'Switch to the Platform Security persona and open the pending IAM request.',
        'Approve or deny it with a reason: the history grows and the transition is logged as evidence.',
        'A developer cannot approve it: the API refuses, exactly as it would live.',
        'Optionally, as the Change Advisory Board, open a break-glass (reason, change reference such as INC-777, at most 4 hours).',
      ],
    },
    {
      title: 'Evidence: prove it afterwards',
      to: '/evidence',
      targets: ['section[aria-label="Proof viewer"]', HEADING],
      persona: 'Auditor',
      points: [
        'As the Auditor, verify the whole log and one decision’s inclusion proof against a signed checkpoint.',
        'Pull-request attestations come from the same log.',
      ],
    },
    {
      title: 'Posture',
      to: '/',
      targets: [HEADING],
      persona: 'CISO',
      points: [
        'The overview is the CISO’s view: blocked actions, approval gates and the rules that fire most.',
        'All of it is derived from the same stored decisions.',
      ],
    },
    {
      title: 'Download the evidence',
      to: SCENARIO,
      targets: ['[data-tour="scenario-download"]'],
      points: [
        'Download the run’s signed evidence bundle: a zip that npx cavra evidence verify accepts offline.',
        'The sandbox signs with a published test key, so anyone can check it and nobody should trust it.',
      ],
    },
  ],
};

export const FINAL_CLOSEOUT: Tour = {
  id: 'final-closeout',
  title: 'Final closeout (sales engineering, 30 minutes)',
  summary: 'For a security architect, platform lead, release manager and audit: release evidence end to end.',
  steps: [
    {
      title: 'Problem framing',
      to: '/',
      targets: [HEADING],
      minutes: 5,
      points: [
        'The risk is unmanaged authority, not just unsafe code: agents edit code, call tools and touch releases.',
        'CAVRA acts before the agent acts and leaves inspectable evidence.',
      ],
    },
    {
      title: 'Evidence walkthrough',
      to: '/scenarios?scenario=final-closeout-trial&mode=enforce',
      targets: ['[data-tour="scenario-decisions"]', '[data-tour="scenario-controls"]'],
      minutes: 10,
      points: [
        'Run the Final Closeout Trial: readiness bundle, external signature metadata, closed summary, retention review.',
        'Then the bundle, retention health, the redacted alert, the failed delivery and its dry-run retry.',
        'All synthetic and safe to share.',
      ],
    },
    {
      title: 'Release criteria',
      to: '/scenarios?scenario=final-closeout-trial&mode=enforce',
      targets: ['[data-tour="scenario-metrics"]'],
      minutes: 5,
      points: [
        'Check each criterion: readiness, closeout closed, retention approved, bundle present, health reviewed.',
        'The failed delivery is blocked and its retry waits for Release Governance: ready with accepted risk.',
      ],
    },
    {
      title: 'Upgrade path',
      to: '/session',
      targets: [HEADING],
      minutes: 7,
      points: [
        'The same console runs live behind OIDC and RBAC; the sandbox only swaps the transport and the identity.',
        'Personas map to groups, so permissions behave as in a deployment.',
      ],
    },
    {
      title: 'Q&A and next step',
      to: '/approvals',
      targets: [HEADING],
      minutes: 3,
      points: [
        'Which agents and pipelines are in scope? Which gates need evidence? Which approver groups?',
        'Next step: a pilot with the customer’s own packs and identity provider.',
      ],
    },
  ],
};

export const TOURS: readonly Tour[] = [FIRST_DEMO, FINAL_CLOSEOUT];

/** The questions a newcomer should answer from the sandbox alone (reference §3.1, reader exercise). */
export const READER_EXERCISE: readonly string[] = [
  'Which page shows the first decision?',
  'Which page proves it afterwards?',
  'Which page explains MCP trust?',
  'Which page does a CISO use?',
  'Which element explains a block to a developer?',
];

export function tourById(id: string | null): Tour | undefined {
  return TOURS.find((tour) => tour.id === id);
}

/** The URL of a step: its route with `tour` and `step` added, so any step can be linked and resumed. */
export function stepHref(tour: Tour, stepIndex: number): string {
  const step = tour.steps[stepIndex];
  if (step === undefined) return '/tour';
  const [path = '/', search = ''] = step.to.split('?');
  const params = new URLSearchParams(search);
  params.set('tour', tour.id);
  params.set('step', String(stepIndex + 1));
  return `${path}?${params.toString()}`;
}
