/**
 * The CLI's window on the outside world, passed in so tests can run commands in-process and read what they
 * printed. `stdout`/`stderr` write text as given (callers add newlines).
 */
export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  /** The directory relative paths (files, `./policies`) are resolved against. */
  cwd: string;
  /** Whether stdout is a terminal: colour is used only then, and only while NO_COLOR is unset. */
  isTTY?: boolean;
  /** Whether stderr is a terminal: long verifications show progress there only then (or with --progress). */
  isStderrTTY?: boolean;
};

/**
 * Exit codes (docs/cli.md): 0 evaluated or ok, 1 validation, test or verification failures, 2 usage errors,
 * 3 evaluated but not recorded (`evaluate --record` could not write the evidence).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, unrecorded: 3 } as const;

export function printLine(io: CliIo, text = ''): void {
  io.stdout(`${text}\n`);
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Reports a usage error (exit 2) on stderr: `cavra: <message>`, plus which help to read when `helpCommand`
 * is given ('' for the top-level help).
 * Messages are lowercase, name the input and say what to do (STYLE.md §5).
 */
export function usageError(io: CliIo, message: string, helpCommand?: string): number {
  const command = helpCommand === undefined || helpCommand === '' ? 'cavra' : `cavra ${helpCommand}`;
  const hint = helpCommand === undefined ? '' : `run '${command} --help' for usage\n`;
  io.stderr(`cavra: ${message}\n${hint}`);
  return EXIT.usage;
}

/** Colour only on a terminal and only when NO_COLOR is unset or empty (https://no-color.org). */
export function shouldColor(io: CliIo): boolean {
  const noColor = io.env['NO_COLOR'];
  return io.isTTY === true && (noColor === undefined || noColor === '');
}
