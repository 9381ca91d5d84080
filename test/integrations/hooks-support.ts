/**
 * Test support for the agent integrations: spawns the built CLI (test/global-setup.ts builds it) the way an
 * agent does, asynchronously, so an in-process API server in the same test keeps serving meanwhile.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'cavra.mjs');
export const FIXTURES = join(ROOT, 'fixtures', 'hooks');

export type Run = { code: number | null; stdout: string; stderr: string };

/** A clean environment: nothing of the caller's CAVRA_* settings leaks into the spawned CLI. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CAVRA_') && key !== 'NO_COLOR') env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs `cavra <args>` with `input` on stdin; resolves when it exits. */
export function cavra(
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? tempDir(),
      env: options.env ?? cleanEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cavra ${args.join(' ')} did not exit in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh temporary folder (short, so Unix socket paths under it stay below the 108-byte limit). */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cvh-'));
}

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/** The Claude Code answer's permission and reason. */
export function claudeAnswer(stdout: string): { permission: string; reason: string } {
  const body = JSON.parse(stdout) as {
    hookSpecificOutput: {
      hookEventName: string;
      permissionDecision: string;
      permissionDecisionReason: string;
    };
  };
  if (body.hookSpecificOutput.hookEventName !== 'PreToolUse') throw new Error('not a PreToolUse answer');
  return {
    permission: body.hookSpecificOutput.permissionDecision,
    reason: body.hookSpecificOutput.permissionDecisionReason,
  };
}
