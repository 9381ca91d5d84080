/**
 * The identity and registry services one app shares across its routes: agent tokens in front of the auth
 * adapter, the registry snapshot decisions read, and registry writes logged as evidence.
 */
import type { JsonObject } from '../../engine';
import type { StoreRepositories } from '../../store';
import type { AuthAdapter } from '../auth';
import type { ApiDeps } from '../deps';
import { AgentTokenService, withAgentTokens } from './agent-tokens';
import { RegistryCache } from './registry-enforcement';

/** What routes use besides the deps. */
export type IdentityServices = { tokens: AgentTokenService; registry: RegistryCache };

/** The services for `deps`, and `deps.auth` with agent tokens in front of it. */
export function createIdentityServices(deps: ApiDeps): { auth: AuthAdapter; identity: IdentityServices } {
  const tokens = new AgentTokenService(deps.store, deps.clock);
  return {
    auth: withAgentTokens(deps.auth, tokens),
    identity: { tokens, registry: new RegistryCache(deps.store) },
  };
}

/** Registry changes recorded in the evidence log (`operations` entries). */
export type RegistryChange =
  | 'agent_registered'
  | 'agent_updated'
  | 'mcp_server_registered'
  | 'mcp_server_updated'
  | 'agent_token_created'
  | 'agent_token_revoked';

/**
 * Runs a registry write and appends its `operations` entry in one unit of work, so the log says who changed
 * the registry and how; then clears the decisions' registry snapshot.
 */
export async function writeRegistry<T>(
  deps: ApiDeps,
  identity: IdentityServices,
  change: { kind: RegistryChange; actor: string; subject: string },
  write: (tx: StoreRepositories) => Promise<{ result: T; record: JsonObject }>,
): Promise<T> {
  const at = deps.clock().toISOString();
  try {
    return await deps.store.transaction(async (tx) => {
      const { result, record } = await write(tx);
      await tx.evidence.append(
        'operations',
        {
          schema_version: 'cavra.registry_change.v1',
          change: change.kind,
          actor: change.actor,
          subject: change.subject,
          record,
        },
        at,
      );
      return result;
    });
  } finally {
    identity.registry.invalidate();
  }
}

/** A registry record as an evidence payload (records are JSON: they came from JSON bodies). */
export function toJson(record: object): JsonObject {
  return JSON.parse(JSON.stringify(record)) as JsonObject;
}
