import { baseName } from '../path';
import type { EvaluatedWord } from './words';

/** Shells whose `-c` script is re-parsed and judged command by command. */
export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox']);

/**
 * Option letters that take a value, per wrapper (so `sudo -u root terraform apply` unwraps to
 * `terraform apply`, not to `root terraform apply`).
 */
const WRAPPERS: Readonly<
  Record<string, { valued: string; valuedLong?: readonly string[]; positional?: number }>
> = {
  sudo: {
    valued: 'ugpChTDrtRU',
    valuedLong: [
      '--user',
      '--group',
      '--prompt',
      '--close-from',
      '--host',
      '--chdir',
      '--role',
      '--type',
      '--other-user',
      '--command-timeout',
    ],
  },
  doas: { valued: 'uC' },
  env: { valued: 'uCS', valuedLong: ['--unset', '--chdir', '--split-string'] },
  command: { valued: '' },
  builtin: { valued: '' },
  exec: { valued: 'a' },
  nohup: { valued: '' },
  nice: { valued: 'n', valuedLong: ['--adjustment'] },
  ionice: { valued: 'cnpP', valuedLong: ['--class', '--classdata'] },
  timeout: { valued: 'sk', valuedLong: ['--signal', '--kill-after'], positional: 1 },
  stdbuf: { valued: 'ioe', valuedLong: ['--input', '--output', '--error'] },
  time: { valued: 'fo', valuedLong: ['--format', '--output'] },
  xargs: {
    valued: 'adEeIiLlnPs',
    valuedLong: [
      '--arg-file',
      '--delimiter',
      '--eof',
      '--replace',
      '--max-lines',
      '--max-args',
      '--max-procs',
      '--max-chars',
    ],
  },
  setsid: { valued: '' },
  chroot: { valued: '', positional: 1 },
  flock: { valued: 'wEc', positional: 1 },
  caffeinate: { valued: 'tw' },
  unbuffer: { valued: '' },
  torsocks: { valued: '' },
  proxychains: { valued: 'f' },
  proxychains4: { valued: 'f' },
  strace: { valued: 'eoOpPsSuXE' },
  ltrace: { valued: 'eonpsSu' },
  watch: { valued: 'nd', valuedLong: ['--interval'] },
};

export type Unwrapped = {
  /** The command that finally runs (program first), after every wrapper. */
  argv: EvaluatedWord[];
  /** Wrappers removed, outermost first (`sudo`, `env`, …). */
  wrappers: string[];
  /** A script given as text to a shell (`sh -c`), `eval`, `env -S`, `su -c` or `watch`: to be re-parsed. */
  script: { source: EvaluatedWord; via: string } | undefined;
  /** Commands run by the program itself (`find -exec cmd {} ;`). */
  nested: EvaluatedWord[][];
  /** Each removed wrapper with its own options (`xargs -a file` reads that file). */
  wrapperArgv: EvaluatedWord[][];
};

/** The program name of a word: quotes are already gone; a path is reduced to its last segment. */
export function programName(word: EvaluatedWord | undefined): string | null {
  if (word === undefined || !word.isStatic) return null;
  return baseName(word.text);
}

/** Skips a wrapper's options; returns the index of the wrapped command (or argv.length). */
function skipOptions(argv: readonly EvaluatedWord[], spec: (typeof WRAPPERS)[string]): number {
  let index = 1;
  while (index < argv.length) {
    const text = argv[index]?.text ?? '';
    if (text === '--') return index + 1;
    if (!text.startsWith('-') || text === '-') break;
    if (text.startsWith('--')) {
      const takesValue = spec.valuedLong?.some((name) => text === name) ?? false;
      index += takesValue ? 2 : 1;
      continue;
    }
    // `-u root` or `-uroot`: a valued letter consumes the rest of the token or the next word.
    const letters = text.slice(1);
    const valuedAt = Array.from(letters).findIndex((letter) => spec.valued.includes(letter));
    index += valuedAt !== -1 && valuedAt === letters.length - 1 ? 2 : 1;
  }
  return index + (spec.positional ?? 0);
}

/** Removes wrappers recursively and finds scripts to re-parse. */
export function unwrap(initial: readonly EvaluatedWord[]): Unwrapped {
  let argv = [...initial];
  const wrappers: string[] = [];
  const nested: EvaluatedWord[][] = [];
  const wrapperArgv: EvaluatedWord[][] = [];
  for (let depth = 0; depth < 16; depth += 1) {
    const program = programName(argv[0]);
    if (program === null) break;
    if (program === 'env') argv = dropEnvAssignments(argv);
    const splitString = program === 'env' ? valueOf(argv, ['-S', '--split-string']) : undefined;
    if (splitString !== undefined)
      return {
        argv,
        wrappers: [...wrappers, program],
        script: { source: splitString, via: 'env -S' },
        nested,
        wrapperArgv,
      };
    if (program === 'eval')
      return {
        argv,
        wrappers,
        script: { source: joinWords(argv.slice(1)), via: 'eval' },
        nested,
        wrapperArgv,
      };
    if (SHELLS.has(program) || program === 'su') {
      const script = shellScript(argv);
      if (script !== undefined)
        return { argv, wrappers, script: { source: script, via: `${program} -c` }, nested, wrapperArgv };
      if (program !== 'busybox') break;
    }
    if (program === 'watch') {
      const rest = argv.slice(skipOptions(argv, WRAPPERS['watch'] ?? { valued: '' }));
      return {
        argv,
        wrappers: [...wrappers, program],
        script: { source: joinWords(rest), via: 'watch' },
        nested,
        wrapperArgv,
      };
    }
    if (program === 'find') nested.push(...findExecCommands(argv));
    const spec = WRAPPERS[program];
    if (spec === undefined && program !== 'busybox') break;
    const start = program === 'busybox' ? 1 : skipOptions(argv, spec ?? { valued: '' });
    if (start >= argv.length) break;
    wrappers.push(program);
    wrapperArgv.push(argv.slice(0, start));
    argv = argv.slice(start);
  }
  return { argv, wrappers, script: undefined, nested, wrapperArgv };
}

function dropEnvAssignments(argv: EvaluatedWord[]): EvaluatedWord[] {
  const start = skipOptions(argv, WRAPPERS['env'] ?? { valued: '' });
  let index = start;
  while (index < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[index]?.text ?? '')) index += 1;
  return index === start ? argv : [...argv.slice(0, start), ...argv.slice(index)];
}

/** The value of an option given as `-S value`, `-Svalue` or `--split-string=value`. */
function valueOf(argv: readonly EvaluatedWord[], names: readonly string[]): EvaluatedWord | undefined {
  for (let index = 1; index < argv.length; index += 1) {
    const word = argv[index];
    if (word === undefined) continue;
    for (const name of names) {
      if (word.text === name) return argv[index + 1];
      if (word.text.startsWith(name) && name.length === 2) return { ...word, text: word.text.slice(2) };
      if (word.text.startsWith(`${name}=`)) return { ...word, text: word.text.slice(name.length + 1) };
    }
  }
  return undefined;
}

/** For `bash -c 'script'` (also `-lc`, `-ec`, `su -c`): the script word. */
function shellScript(argv: readonly EvaluatedWord[]): EvaluatedWord | undefined {
  for (let index = 1; index < argv.length; index += 1) {
    const text = argv[index]?.text ?? '';
    if (text === '--command' || text === '-c' || /^-[A-Za-z]*c[A-Za-z]*$/.test(text)) {
      // The script is the first operand after the options.
      for (let operand = index + 1; operand < argv.length; operand += 1) {
        const candidate = argv[operand];
        if (candidate !== undefined && !candidate.text.startsWith('-')) return candidate;
      }
      return undefined;
    }
    if (!text.startsWith('-') && !text.startsWith('+')) return undefined;
  }
  return undefined;
}

/** `find … -exec cmd args {} ;` (also -execdir, -ok, -okdir): the commands find runs. */
function findExecCommands(argv: readonly EvaluatedWord[]): EvaluatedWord[][] {
  const commands: EvaluatedWord[][] = [];
  for (let index = 1; index < argv.length; index += 1) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(argv[index]?.text ?? '')) continue;
    const end = argv.findIndex((word, at) => at > index && (word.text === ';' || word.text === '+'));
    commands.push(argv.slice(index + 1, end === -1 ? argv.length : end));
    index = end === -1 ? argv.length : end;
  }
  return commands;
}

/** Joins words with spaces (what `eval` does); static only when every word is. */
export function joinWords(words: readonly EvaluatedWord[]): EvaluatedWord {
  return {
    text: words.map((word) => word.text).join(' '),
    isStatic: words.every((word) => word.isStatic),
    hasGlob: words.some((word) => word.hasGlob),
    substitutions: words.flatMap((word) => word.substitutions),
  };
}
