/**
 * What every agent adapter shares: the mapped call (one engine request) and the answer an agent gets.
 * Hook stdin is a trust boundary: events are narrowed by hand here rather than with zod or JSON Schema,
 * because a hook runs once per tool call and a schema library's start-up cost is paid every time
 * (docs/decisions/0018-agent-hooks.md).
 */
import { isAbsolute, resolve } from 'node:path';
import type { Decision, DecisionRequest } from '../../engine';

/** An adapter's result: a value, or a message saying what is wrong with the input. */
export type Mapped<T> = { ok: true; value: T } | { ok: false; message: string };

/** What an agent is told: run it, refuse it, or ask the person at the keyboard. */
export type HookPermission = 'allow' | 'deny' | 'ask';

/** The answer before it is put into an agent's wire format. */
export type HookVerdict = {
  permission: HookPermission;
  /** For the agent (and the person when it asks): why, and what to do. */
  reason: string;
  /** The decision the verdict came from; absent when no decision could be made (fail closed). */
  decision?: Decision;
};

/** What the adapters put into every request besides the call itself. */
export type RequestDefaults = {
  policy_pack?: string | undefined;
  policy_mode?: DecisionRequest['policy_mode'];
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required non-empty string field, or the message naming it. */
export function requireString(object: Record<string, unknown>, key: string, where: string): Mapped<string> {
  const value = object[key];
  if (typeof value !== 'string' || value.trim() === '') {
    return { ok: false, message: `${where} has no "${key}" (a non-empty string is required)` };
  }
  return { ok: true, value };
}

/** An optional string field: the value, undefined when absent, or a message when it has the wrong type. */
export function optionalString(
  object: Record<string, unknown>,
  key: string,
  where: string,
): Mapped<string | undefined> {
  const value = object[key];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: false, message: `${where}: "${key}" must be a string` };
  return { ok: true, value };
}

/** A path an agent gave, made absolute against the session's working directory. */
export function absolutePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Drops undefined fields so requests stay exactly what was mapped (evidence records them as is). */
export function withDefaults(request: DecisionRequest, defaults: RequestDefaults): DecisionRequest {
  const out: DecisionRequest = { ...request };
  if (defaults.policy_pack !== undefined) out.policy_pack = defaults.policy_pack;
  if (defaults.policy_mode !== undefined) out.policy_mode = defaults.policy_mode;
  return out;
}
