/**
 * `cavra agent exec -- <command…>`: the wrapper for agents without hooks (and for scripts): evaluate the
 * command, run it only when allowed, and say why not otherwise. Exit codes follow the shell's convention
 * for "could not run": 126 blocked, 125 approval required or evaluation failed (docs/integrations/ci-runners.md).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { DecisionRequest, PolicyMode } from '../engine';
import { AGENT_HELP } from './agent-help';
import { parseCommandArgs } from './args';
import { AGENT_OPTIONS, decideAndRecord } from './hook';
import { checkAgentFlags, localEngine } from './hook-decide';
import { EXIT, usageError, type CliIo } from './io';

/** Exit codes of `agent exec` when the command did not run. */
export const AGENT_EXIT = { blocked: 126, notRun: 125 } as const;

export async function runAgent(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    if (sub === undefined)
      return usageError(io, 'missing subcommand: cavra agent exec -- <command>', 'agent');
    io.stdout(AGENT_HELP);
    return EXIT.ok;
  }
  if (sub !== 'exec') return usageError(io, `unknown subcommand '${sub}': use exec`, 'agent');
  const parsed = parseCommandArgs(rest, AGENT_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'agent');
  const flags = parsed.values;
  if (flags.help === true) {
    io.stdout(AGENT_HELP);
    return EXIT.ok;
  }
  const invalid = checkAgentFlags(flags);
  if (invalid !== undefined) return usageError(io, invalid, 'agent');
  if (flags['on-error'] !== undefined) return usageError(io, `--on-error applies to hooks only`, 'agent');
  const words = parsed.positionals;
  if (words.length === 0)
    return usageError(io, 'missing <command>: cavra agent exec -- <command> [args…]', 'agent');
  const commandText = words.length === 1 ? (words[0] ?? '') : words.map(shellQuote).join(' ');
  const request: DecisionRequest = {
    action_type: 'execute_command',
    target: commandText,
    session_id: io.env['CAVRA_SESSION_ID'] ?? 'local',
    agent_id: io.env['CAVRA_AGENT_ID'] ?? 'cavra-agent-exec',
    cwd: io.cwd,
    ...(flags['policy-pack'] !== undefined && { policy_pack: flags['policy-pack'] }),
    ...(flags['policy-mode'] !== undefined && { policy_mode: flags['policy-mode'] as PolicyMode }),
  };
  let verdict;
  try {
    verdict = await decideAndRecord(io, request, flags, 'deny', localEngine, 'cavra-agent-exec');
  } catch (error) {
    io.stderr(`cavra: the command was not run: ${error instanceof Error ? error.message : String(error)}\n`);
    return AGENT_EXIT.notRun;
  }
  if (verdict.permission !== 'allow') {
    const blocked = verdict.decision?.decision === 'block';
    io.stderr(`cavra: ✗ command ${blocked ? 'blocked' : 'not run'}: ${verdict.reason}\n`);
    return blocked ? AGENT_EXIT.blocked : AGENT_EXIT.notRun;
  }
  if (verdict.decision !== undefined && verdict.decision.decision !== 'allow') {
    io.stderr(`cavra: ${verdict.reason}\n`);
  }
  return run(words, io);
}

/** Runs the command with inherited stdio; resolves its exit code (128+n for signal n, as shells do). */
function run(words: string[], io: CliIo): Promise<number> {
  const [program = '', ...args] = words.length === 1 ? ['/bin/sh', '-c', words[0] ?? ''] : words;
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: io.cwd, env: io.env, stdio: 'inherit' });
    child.once('error', (error) => {
      io.stderr(`cavra: cannot run '${program}': ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      if (signal !== null) resolve(128 + constants.signals[signal]);
      else resolve(code ?? 1);
    });
  });
}

/** Quotes one word for the command text that is evaluated (and shown): plain words stay as they are. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
