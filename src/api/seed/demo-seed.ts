/**
 * Seeds an empty database with the demo sessions, so a newcomer's first console shows a living system. The
 * scripted requests go through the same path as `POST /decisions` (real engine, one unit of work per decision,
 * evidence entries) and each session ends with a signed checkpoint. Deterministic for a given anchor time:
 * ids come from a hash counter, decision times from the script.
 */
import { toHex, utf8, type EvidenceCrypto } from '../../evidence';
import type { PolicySet } from '../../engine';
import type { Store } from '../../store';
import type { CavraApp } from '../app';
import { decideRequest } from '../decide';
import { RegistryCache, enforceAgentRegistry, type RegistrySnapshot } from '../identity/registry-enforcement';
import { agentFromInput, serverFromInput } from '../identity/registry-records';
import { seedApprovals, type ApprovalSeedReport } from './demo-approvals';
import { DEMO_AGENTS, DEMO_MCP_SERVERS } from './demo-registry';
import { DEMO_SESSIONS, type ScriptedSession } from './demo-script';

/** What the seed did. */
export type SeedReport = {
  sessions: number;
  decisions: number;
  checkpoints: number;
  /** Decisions per outcome. */
  outcomes: Record<string, number>;
  /** Sessions left out because a pack they use is not loaded (e.g. overridden by `CAVRA_POLICY_DIR`). */
  skipped: string[];
  /** Registered agents and MCP servers (decisions are enforced against them). */
  registry: { agents: number; mcp_servers: number };
  /** Approvals per state (and break-glass reviews pending), made from the seeded decisions. */
  approvals: ApprovalSeedReport;
};

/** What the seed runs on. */
export type SeedTarget = {
  app: Pick<CavraApp, 'evidence' | 'approvals'>;
  store: Store;
  policies: PolicySet;
  crypto: EvidenceCrypto;
};

/** Options of {@link seedDemoData}. */
export type SeedOptions = {
  /** The end of the scripted timeline (sessions start up to ~3 hours before it). */
  anchor: Date;
  sessions?: readonly ScriptedSession[];
};

/**
 * Seeds the demo data when the store holds no decisions, sessions or evidence entries yet; returns null (and
 * does nothing) otherwise.
 */
export async function seedDemoData(target: SeedTarget, options: SeedOptions): Promise<SeedReport | null> {
  if (!(await isEmpty(target.store))) return null;
  const nextId = hashCounter(target.crypto);
  const report: SeedReport = {
    sessions: 0,
    decisions: 0,
    checkpoints: 0,
    outcomes: {},
    skipped: [],
    registry: await seedRegistry(target.store, options.anchor),
    approvals: {},
  };
  const registry = await new RegistryCache(target.store).snapshot();
  for (const session of options.sessions ?? DEMO_SESSIONS) {
    const packs = [session.policy_pack, ...session.actions.map((a) => a.policy_pack ?? session.policy_pack)];
    if (packs.some((pack) => !target.policies.packs.has(pack))) {
      report.skipped.push(session.session_id);
      continue;
    }
    await seedSession(target, session, { anchor: options.anchor, registry }, nextId, report);
    if (session.state !== 'active') {
      await target.app.evidence.recordSession({ session_id: session.session_id, state: session.state });
    }
    if ((await target.app.evidence.checkpoint()).isNew) report.checkpoints += 1;
    report.sessions += 1;
  }
  report.approvals = await seedApprovals(target.app, target.store, options.anchor);
  if ((await target.app.evidence.checkpoint()).isNew) report.checkpoints += 1;
  return report;
}

async function seedSession(
  target: SeedTarget,
  session: ScriptedSession,
  { anchor, registry }: { anchor: Date; registry: RegistrySnapshot },
  nextId: () => string,
  report: SeedReport,
): Promise<void> {
  let at = anchor.getTime() - session.startedMinutesAgo * 60_000;
  const engineDeps = { policies: target.policies, clock: () => new Date(at), randomHex12: nextId };
  for (const { afterSeconds, ...action } of session.actions) {
    at += afterSeconds * 1000;
    const decided = decideRequest(
      engineDeps,
      {
        session_id: session.session_id,
        agent_id: session.agent_id,
        actor: session.actor,
        repository: session.repository,
        policy_pack: session.policy_pack,
        ...action,
      },
      undefined,
      registry.mcp,
    );
    if (!decided.ok) throw new Error(`demo seed, ${session.session_id}: ${decided.error.error.message}`);
    // As `POST /decisions` does: the registry applies to the seeded decisions too.
    const decision = enforceAgentRegistry(decided.decision, registry);
    await target.app.evidence.recordDecision(decision);
    const outcome = decision.decision;
    report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
    report.decisions += 1;
  }
}

async function isEmpty(store: Store): Promise<boolean> {
  const [entries, decisions, sessions] = await Promise.all([
    store.evidence.count(),
    store.decisions.list({}, { limit: 1 }),
    store.sessions.list({}, { limit: 1 }),
  ]);
  return entries === 0 && decisions.total === 0 && sessions.total === 0;
}

/** 12 hex characters of SHA-256("cavra-demo-seed/<n>") for n = 1, 2, …: stable ids, unlike random ones. */
function hashCounter(crypto: EvidenceCrypto): () => string {
  let counter = 0;
  return () => toHex(crypto.sha256(utf8(`cavra-demo-seed/${++counter}`))).slice(0, 12);
}

/** Registers the demo agents and MCP servers, registered an hour before the anchor. */
async function seedRegistry(store: Store, anchor: Date): Promise<SeedReport['registry']> {
  const at = new Date(anchor.getTime() - 60 * 60_000);
  for (const agent of DEMO_AGENTS) await store.registry.agents.upsert(agentFromInput(agent, null, at));
  for (const server of DEMO_MCP_SERVERS)
    await store.registry.mcpServers.upsert(serverFromInput(server, null, at));
  return { agents: DEMO_AGENTS.length, mcp_servers: DEMO_MCP_SERVERS.length };
}
