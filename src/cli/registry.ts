import type { McpRegistry, McpServerRecord } from '../engine';
import { parseJsonText, readTextFile, type Outcome } from './context';
import type { CliIo } from './io';

const TRUST_TIERS = ['trusted', 'approved', 'experimental', 'blocked', 'unknown'] as const;
const APPROVAL_STATES = ['approved', 'pending', 'denied', 'not_required'] as const;

/** Reads and checks an MCP trust registry file (`{"mcp_servers": [...]}`, upstream's registry.json shape). */
export function loadRegistry(io: CliIo, path: string): Outcome<McpRegistry> {
  const text = readTextFile(io, path, 'registry file');
  if (!text.ok) return text;
  const data = parseJsonText(text.value, `registry file '${path}'`);
  if (!data.ok) return data;
  const servers = isRecord(data.value) ? data.value['mcp_servers'] : undefined;
  if (!Array.isArray(servers)) {
    return { ok: false, message: `registry file '${path}' must be an object with an "mcp_servers" array` };
  }
  const records: McpServerRecord[] = [];
  for (const [index, entry] of servers.entries()) {
    const record = toServerRecord(entry);
    if (typeof record === 'string') {
      return { ok: false, message: `registry file '${path}': mcp_servers[${index}] ${record}` };
    }
    records.push(record);
  }
  return { ok: true, value: { mcp_servers: records } };
}

/** A checked record, or what is wrong with it. */
function toServerRecord(entry: unknown): McpServerRecord | string {
  if (!isRecord(entry)) return 'must be an object';
  const { server_id, name, trust_tier, approval_state, capabilities, allowed_tools, owner } = entry;
  if (typeof server_id !== 'string' || server_id === '') return 'needs a non-empty "server_id" string';
  if (!isOneOf(TRUST_TIERS, trust_tier)) return `"trust_tier" must be one of ${TRUST_TIERS.join(', ')}`;
  if (approval_state !== undefined && !isOneOf(APPROVAL_STATES, approval_state)) {
    return `"approval_state" must be one of ${APPROVAL_STATES.join(', ')}`;
  }
  for (const [key, value] of Object.entries({ name, owner })) {
    if (value !== undefined && typeof value !== 'string') return `"${key}" must be a string`;
  }
  for (const [key, value] of Object.entries({ capabilities, allowed_tools })) {
    if (value !== undefined && !isStringArray(value)) return `"${key}" must be an array of strings`;
  }
  return {
    server_id,
    trust_tier,
    ...(typeof name === 'string' && { name }),
    ...(approval_state !== undefined && { approval_state }),
    ...(isStringArray(capabilities) && { capabilities }),
    ...(isStringArray(allowed_tools) && { allowed_tools }),
    ...(typeof owner === 'string' && { owner }),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function isOneOf<T extends string>(choices: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (choices as readonly string[]).includes(value);
}
