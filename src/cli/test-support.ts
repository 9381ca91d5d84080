import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './io';
import { runCli } from './main';

/** The repository root: `./policies` there is the bundled pack folder. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What an in-process run printed, and its exit code. */
export type CliRun = { code: number; stdout: string; stderr: string };

/**
 * Runs the CLI in-process with captured output, for tests. Defaults: cwd = the repository root, an empty
 * environment (so $CAVRA_POLICY_DIR and NO_COLOR of the caller do not leak in), not a TTY, empty stdin.
 */
export async function runInMemory(
  argv: string[],
  options: { stdin?: string; env?: Record<string, string>; cwd?: string; isTTY?: boolean } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: () => Promise.resolve(options.stdin ?? ''),
    env: options.env ?? {},
    cwd: options.cwd ?? REPO_ROOT,
    isTTY: options.isTTY ?? false,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A fresh file in a temporary folder holding `content` (JSON-encoded unless it is a string). */
export function tempFile(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-cli-'));
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A folder of packs (`<dir>/<id>/policy.yaml`, id → YAML), e.g. for $CAVRA_POLICY_DIR. */
export function tempPolicyDir(packs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-packs-'));
  for (const [id, yaml] of Object.entries(packs)) {
    mkdirSync(join(dir, id));
    writeFileSync(join(dir, id, 'policy.yaml'), yaml);
  }
  return dir;
}
