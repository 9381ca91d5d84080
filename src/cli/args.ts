import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Option declarations in node:util parseArgs form. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

type Parsed<O extends OptionSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

export type ParsedArgs<O extends OptionSpec> =
  { ok: true; values: Parsed<O>['values']; positionals: string[] } | { ok: false; message: string };

/** `-h/--help`, accepted by every command. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpec;

/**
 * Parses a command's arguments strictly (unknown options are errors) and turns node's messages
 * ("Unknown option '--x'. To specify a positional …") into short lowercase ones.
 */
export function parseCommandArgs<O extends OptionSpec>(args: string[], options: O): ParsedArgs<O> {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { ok: true, values, positionals };
  } catch (error) {
    return { ok: false, message: describeParseError(error) };
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  // Node quotes options as '--name', '--name <value>' or '-n, --name <value>': report the long name.
  const names = quoted.split(/[ ,]+/).filter((word) => word.startsWith('-'));
  const option = names.find((word) => word.startsWith('--')) ?? names[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return /^-[^-]/.test(option)
        ? `unknown option '${option}' (to pass an argument that starts with '-', put it after '--')`
        : `unknown option '${option}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument')) return `option '${option}' does not take a value`;
      if (message.includes('ambiguous'))
        return `option '${option}' needs a value (for a value that starts with '-', write ${option}=-value)`;
      return `option '${option}' needs a value`;
    default:
      return lowerFirst(message.replace(/\.$/, ''));
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
