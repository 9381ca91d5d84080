/**
 * `cavra init claude-code|cursor`: registers the cavra hook in the project's agent settings. Merges into
 * what is there (other settings, other hooks and a previous cavra entry are kept or updated in place), so
 * running it twice changes nothing. A settings file that is not valid JSON is left alone and reported.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { CLAUDE_CODE_TOOLS } from '../integrations/hooks/claude-code';
import { CURSOR_EVENTS } from '../integrations/hooks/cursor';
import { INIT_HELP } from './agent-help';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath } from './context';
import { EXIT, usageError, type CliIo } from './io';
import { bundledPolicyDir } from './load-policies';

const INIT_OPTIONS = {
  ...HELP_OPTION,
  command: { type: 'string' },
  'hook-args': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

/** The PreToolUse matcher: every tool the hook maps specifically, and all MCP tools. */
export const CLAUDE_CODE_MATCHER = [
  ...CLAUDE_CODE_TOOLS.execute,
  ...CLAUDE_CODE_TOOLS.read,
  ...CLAUDE_CODE_TOOLS.write,
  'mcp__.*',
].join('|');

/** Seconds Claude Code waits for the hook (a local decision takes well under one). */
const CLAUDE_CODE_TIMEOUT = 60;

type Json = Record<string, unknown>;

export function runInit(args: string[], io: CliIo): number {
  const [agent, ...rest] = args;
  if (agent === undefined || agent === '-h' || agent === '--help') {
    if (agent === undefined) return usageError(io, 'missing <agent>: use claude-code or cursor', 'init');
    io.stdout(INIT_HELP);
    return EXIT.ok;
  }
  const parsed = parseCommandArgs(rest, INIT_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'init');
  if (parsed.values.help === true) {
    io.stdout(INIT_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 0)
    return usageError(io, `unexpected argument '${parsed.positionals[0] ?? ''}'`, 'init');
  if (agent !== 'claude-code' && agent !== 'cursor') {
    return usageError(io, `unknown agent '${agent}': use claude-code or cursor`, 'init');
  }
  const hookArgs = parsed.values['hook-args'] ?? '--record';
  const launcher = parsed.values.command ?? defaultLauncher(io, agent);
  const command = `${launcher} hook ${agent}${hookArgs === '' ? '' : ` ${hookArgs}`}`;
  const file = join(io.cwd, agent === 'claude-code' ? '.claude/settings.json' : '.cursor/hooks.json');
  const current = readJsonFile(file);
  if (typeof current === 'string') {
    io.stderr(
      `cavra: ${displayPath(io, file)} ${current}: fix or move it, then run 'cavra init ${agent}' again\n`,
    );
    return EXIT.failed;
  }
  const merged = agent === 'claude-code' ? mergeClaudeCode(current, command) : mergeCursor(current, command);
  const text = `${JSON.stringify(merged, null, 2)}\n`;
  if (parsed.values['dry-run'] === true) {
    io.stdout(text);
    return EXIT.ok;
  }
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (before === text) {
    io.stdout(`${displayPath(io, file)} already runs: ${command}\n`);
    return EXIT.ok;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const what =
    agent === 'claude-code'
      ? `PreToolUse hook (${CLAUDE_CODE_MATCHER})`
      : `${CURSOR_EVENTS.join(', ')} hooks`;
  io.stdout(
    `${before === undefined ? 'wrote' : 'updated'} ${displayPath(io, file)}: ${what} running\n  ${command}\n`,
  );
  return EXIT.ok;
}

/**
 * `node <cavra>/bin/cavra.mjs`: absolute, so it works whatever directory the agent starts hooks in. For
 * Claude Code, a cavra inside the project is addressed through $CLAUDE_PROJECT_DIR so the settings can be
 * committed and work in every checkout.
 */
function defaultLauncher(io: CliIo, agent: 'claude-code' | 'cursor'): string {
  const bin = join(dirname(bundledPolicyDir()), 'bin', 'cavra.mjs');
  const inside = relative(io.cwd, bin);
  if (agent === 'claude-code' && !inside.startsWith('..') && !isAbsolute(inside)) {
    return `node "$CLAUDE_PROJECT_DIR/${inside}"`;
  }
  return `node ${/^[\w@%+=:,./-]+$/.test(bin) ? bin : `"${bin}"`}`;
}

/** The parsed file, `{}` when absent, or what is wrong with it. */
function readJsonFile(file: string): Json | string {
  if (!existsSync(file)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return `is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  return isObject(value) ? value : 'must hold a JSON object';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a hook entry's command is a cavra hook for `agent` (to update it rather than add another). */
function isCavraCommand(command: unknown, agent: string): boolean {
  return typeof command === 'string' && command.includes('cavra') && command.includes(`hook ${agent}`);
}

function mergeClaudeCode(settings: Json, command: string): Json {
  const hooks = isObject(settings['hooks']) ? settings['hooks'] : {};
  const groups = Array.isArray(hooks['PreToolUse']) ? (hooks['PreToolUse'] as unknown[]) : [];
  const ours = {
    matcher: CLAUDE_CODE_MATCHER,
    hooks: [{ type: 'command', command, timeout: CLAUDE_CODE_TIMEOUT }],
  };
  const isOurs = (group: unknown): boolean =>
    isObject(group) &&
    Array.isArray(group['hooks']) &&
    group['hooks'].some((hook) => isObject(hook) && isCavraCommand(hook['command'], 'claude-code'));
  return { ...settings, hooks: { ...hooks, PreToolUse: replaceOrAppend(groups, isOurs, ours) } };
}

/** `ours` in place of the first entry `isOurs` accepts (others of ours dropped), else appended. */
function replaceOrAppend(
  entries: readonly unknown[],
  isOurs: (entry: unknown) => boolean,
  ours: unknown,
): unknown[] {
  const index = entries.findIndex(isOurs);
  if (index === -1) return [...entries, ours];
  const others = entries.filter((entry) => !isOurs(entry));
  return [...others.slice(0, index), ours, ...others.slice(index)];
}

function mergeCursor(config: Json, command: string): Json {
  const hooks = isObject(config['hooks']) ? { ...config['hooks'] } : {};
  for (const event of CURSOR_EVENTS) {
    const entries = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
    const isOurs = (entry: unknown): boolean => isObject(entry) && isCavraCommand(entry['command'], 'cursor');
    hooks[event] = replaceOrAppend(entries, isOurs, { command });
  }
  return { ...config, version: typeof config['version'] === 'number' ? config['version'] : 1, hooks };
}
