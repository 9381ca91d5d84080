import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';
import { CommandRuleList } from '../command-rules';
import { PathRuleList, type SourcedPattern } from '../path-rules';
import { upstreamRegex } from '../pattern';
import type { DecisionRequest, JsonObject, JsonValue, Outcome, Severity } from '../types';
import { isJsonObject } from './document';
import type { Origins } from './merge';

/** An inline pack test (`tests:` section). */
export type PackTest = {
  name: string;
  request: DecisionRequest;
  expect: { decision: Outcome; rule_id?: string; severity?: Severity; approver_group?: string | null };
};

/** A pack ready for the guards: merged, normalised, indexed, with a content revision. */
export type CompiledPack = {
  id: string;
  title: string;
  description: string;
  version: string;
  /** `sha256:` + hex of the canonical (RFC 8785) merged document, tests excluded. */
  revision: string;
  /** Packs this one inherits from, nearest first (transitively). */
  inherits: string[];
  /** The merged, normalised document (what `cavra policy compile` prints). */
  document: JsonObject;
  filesystem: { blockRead: PathRuleList; blockWrite: PathRuleList; approvalWrite: PathRuleList };
  commands: {
    block: CommandRuleList;
    allow: CommandRuleList;
    approval: CommandRuleList;
    /** Whether the built-in remote-code-execution rule applies (packs may opt out with `allow`). */
    blockRemoteCodeExecution: boolean;
  };
  git: {
    protectedBranches: string[];
    isProtected: (branch: string) => string | undefined;
    blockForcePush: boolean;
    /** False only when the pack says `block_direct_push_to_protected_branch: false`. */
    blockProtectedPush: boolean;
  };
  mcp: { allowed: SourcedPattern[]; blocked: SourcedPattern[]; blockUnknown: boolean };
  tests: PackTest[];
};

const DEFAULT_PROTECTED_BRANCHES = ['main', 'master'];

/** Compiles a merged document (see merge.ts) into the indexed form the guards use. */
export function compilePack(
  id: string,
  document: JsonObject,
  origins: Origins,
  inherits: string[],
): CompiledPack {
  const metadata = section(document, 'metadata');
  const filesystem = section(document, 'filesystem');
  const commands = section(document, 'commands');
  const git = section(document, 'git');
  const mcp = section(document, 'mcp');
  const sourced = (path: string, list: string[]): SourcedPattern[] =>
    list.map((pattern) => ({ pattern, pack: origins.get(path)?.get(pattern) ?? id }));
  const paths = (key: string): PathRuleList =>
    new PathRuleList(sourced(`filesystem.${key}`, strings(filesystem[key])));
  const commandList = (key: string): CommandRuleList =>
    new CommandRuleList(sourced(`commands.${key}`, strings(commands[key])));
  const protectedBranches = [
    ...new Set([
      ...(git['protected_branches'] === undefined
        ? DEFAULT_PROTECTED_BRANCHES
        : strings(git['protected_branches'])),
      ...strings(git['block_push_branches']),
    ]),
  ];
  const branchMatchers = protectedBranches.map((pattern) => ({ pattern, regex: upstreamRegex(pattern) }));
  const { tests: _tests, ...withoutTests } = document;
  return {
    id,
    title: text(metadata['title'], id),
    description: text(metadata['description'], ''),
    version: text(metadata['version'], ''),
    revision: `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalize(withoutTests) ?? '')))}`,
    inherits,
    document,
    filesystem: {
      blockRead: paths('block_read'),
      blockWrite: paths('block_write'),
      approvalWrite: paths('require_approval_write'),
    },
    commands: {
      block: commandList('block'),
      allow: commandList('allow'),
      approval: commandList('require_approval'),
      blockRemoteCodeExecution: commands['remote_code_execution'] !== 'allow',
    },
    git: {
      protectedBranches,
      isProtected: (branch) => branchMatchers.find((m) => m.regex.test(branch))?.pattern,
      blockForcePush: git['block_force_push'] === true,
      blockProtectedPush: git['block_direct_push_to_protected_branch'] !== false,
    },
    mcp: {
      allowed: sourced('mcp.allowed_servers', strings(mcp['allowed_servers'])),
      blocked: sourced('mcp.blocked_servers', strings(mcp['blocked_servers'])),
      blockUnknown: mcp['block_unknown_servers'] !== false,
    },
    tests: parseTests(document['tests']),
  };
}

function section(document: JsonObject, key: string): JsonObject {
  const value = document[key];
  return isJsonObject(value) ? value : {};
}

function strings(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value.trim()].filter(Boolean);
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter(Boolean);
}

function text(value: JsonValue | undefined, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function parseTests(value: JsonValue | undefined): PackTest[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((test, index) => {
    const expect = isJsonObject(test['expect']) ? test['expect'] : { decision: test['expect'] ?? null };
    return {
      name: text(test['name'], `test ${index + 1}`),
      request: (isJsonObject(test['request']) ? test['request'] : {}) as unknown as DecisionRequest,
      expect: expect as unknown as PackTest['expect'],
    };
  });
}
