import type { EvaluatedWord } from './words';

/** A file a command reads or writes. `recursive` marks a directory operand of a recursive delete or copy. */
export type FileAccess = {
  path: string;
  access: 'read' | 'write';
  recursive: boolean;
  /** True when the operand holds an unquoted glob the engine cannot expand. */
  glob?: boolean;
};

/** Programs whose file operands are all read (grep/sed/awk/jq skip their pattern or program first). */
const READERS = new Set([
  'cat',
  'less',
  'more',
  'head',
  'tail',
  'cut',
  'sort',
  'uniq',
  'wc',
  'diff',
  'strings',
  'od',
  'xxd',
  'hexdump',
  'base64',
  'gpg',
  'tac',
  'nl',
  'bat',
  'paste',
  'comm',
  'cmp',
  'rev',
  'source',
  '.',
  'openssl',
]);
const PATTERN_FIRST = new Set([
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'ack',
  'sed',
  'awk',
  'gawk',
  'mawk',
  'jq',
  'yq',
]);
/** Options that give the pattern/program explicitly, so the first operand is a file. */
const EXPLICIT_PATTERN = ['-e', '--regexp', '-f', '--file', '--expression', '--from-file'];
const WRITERS = new Set([
  'tee',
  'truncate',
  'touch',
  'rm',
  'chmod',
  'chown',
  'chgrp',
  'shred',
  'unlink',
  'rmdir',
]);
/** Every program with a rule below (anything else only has `@file` arguments checked). */
const FILE_PROGRAMS = new Set([
  ...READERS,
  ...PATTERN_FIRST,
  ...WRITERS,
  ...[
    'sort',
    'uniq',
    'cp',
    'scp',
    'rsync',
    'install',
    'mv',
    'ln',
    'dd',
    'tar',
    'zip',
    'curl',
    'wget',
    'gpg',
    'xargs',
    'find',
  ],
]);
const SKIP_FIRST_OPERAND = new Set(['chmod', 'chown', 'chgrp']);
const DEV_PATHS = /^\/dev\/(null|stdout|stderr|stdin|tty|zero|fd\/\d+)$/;

function isFlag(text: string): boolean {
  return text.startsWith('-') && text !== '-';
}

function operandsOf(argv: readonly EvaluatedWord[]): string[] {
  const out: string[] = [];
  let ended = false;
  for (const word of argv.slice(1)) {
    if (!ended && word.text === '--') {
      ended = true;
      continue;
    }
    if (ended || !isFlag(word.text)) out.push(word.text);
  }
  return out;
}

function hasFlag(argv: readonly EvaluatedWord[], short: string, long: readonly string[]): boolean {
  return argv.slice(1).some((word) => {
    const text = word.text;
    if (long.some((name) => text === name || text.startsWith(`${name}=`))) return true;
    return /^-[A-Za-z]+$/.test(text) && text.includes(short);
  });
}

/** The value following an option (`-o file`, `-ofile`, `--output=file`, `--output file`). */
function optionValues(
  argv: readonly EvaluatedWord[],
  short: readonly string[],
  long: readonly string[],
): string[] {
  const values: string[] = [];
  argv.forEach((word, index) => {
    const next = argv[index + 1]?.text;
    for (const name of [...short, ...long]) {
      if (word.text === name && next !== undefined) values.push(next);
      else if (long.includes(name) && word.text.startsWith(`${name}=`))
        values.push(word.text.slice(name.length + 1));
      else if (
        short.includes(name) &&
        word.text.startsWith(name) &&
        word.text.length > name.length &&
        !word.text.startsWith('--')
      ) {
        values.push(word.text.slice(name.length));
      }
    }
  });
  return values;
}

const read = (path: string): FileAccess => ({ path, access: 'read', recursive: false });
const write = (path: string, recursive = false): FileAccess => ({ path, access: 'write', recursive });

/**
 * The files a simple command reads or writes, from its program and arguments. Arguments of programs not
 * listed here are not treated as paths (`pytest tests/test_token.py` is not a read); see
 * docs/policy-language.md for the list and its limits.
 */
export function fileAccesses(program: string, argv: readonly EvaluatedWord[]): FileAccess[] {
  const accesses: FileAccess[] = uploadReads(argv);
  if (!FILE_PROGRAMS.has(program)) return accesses;
  const operands = operandsOf(argv);
  const recursive =
    hasFlag(argv, 'r', ['--recursive']) || hasFlag(argv, 'R', []) || hasFlag(argv, 'a', ['--archive']);
  if (READERS.has(program)) accesses.push(...operands.map(read));
  if (program === 'sort')
    accesses.push(...optionValues(argv, ['-o'], ['--output']).map((path) => write(path)));
  if (program === 'uniq' && operands[1] !== undefined) accesses.push(write(operands[1]));
  if (PATTERN_FIRST.has(program)) {
    const explicit = argv.some((word) =>
      EXPLICIT_PATTERN.some((name) => word.text === name || word.text.startsWith(`${name}=`)),
    );
    const files = explicit ? operands : operands.slice(1);
    const inPlace =
      (program === 'sed' &&
        argv.some((w) => /^-[A-Za-z]*i/.test(w.text) || w.text.startsWith('--in-place'))) ||
      (program === 'yq' && hasFlag(argv, 'i', ['--inplace']));
    accesses.push(...files.map((path) => (inPlace ? write(path) : read(path))));
    accesses.push(...optionValues(argv, ['-f'], ['--file', '--from-file']).map(read));
  }
  if (WRITERS.has(program)) {
    const targets =
      SKIP_FIRST_OPERAND.has(program) && !argv.some((w) => w.text.startsWith('--reference'))
        ? operands.slice(1)
        : operands;
    accesses.push(...targets.map((path) => write(path, program === 'rm' && recursive)));
  }
  if (
    program === 'cp' ||
    program === 'scp' ||
    program === 'rsync' ||
    program === 'install' ||
    program === 'mv' ||
    program === 'ln'
  ) {
    accesses.push(...copyAccesses(program, argv, operands, recursive));
  }
  if (program === 'dd') {
    for (const word of argv.slice(1)) {
      if (word.text.startsWith('if=')) accesses.push(read(word.text.slice(3)));
      if (word.text.startsWith('of=')) accesses.push(write(word.text.slice(3)));
    }
  }
  if (program === 'tar' || program === 'zip') accesses.push(...archiveAccesses(program, argv, operands));
  if (program === 'curl') {
    accesses.push(...optionValues(argv, ['-o'], ['--output']).map((path) => write(path)));
    accesses.push(...optionValues(argv, ['-T', '-K'], ['--upload-file', '--config']).map(read));
  }
  if (program === 'wget') {
    accesses.push(...optionValues(argv, ['-O'], ['--output-document']).map((path) => write(path)));
    accesses.push(...optionValues(argv, ['-i'], ['--input-file', '--post-file', '--body-file']).map(read));
  }
  if (program === 'gpg')
    accesses.push(...optionValues(argv, ['-o'], ['--output']).map((path) => write(path)));
  if (program === 'xargs') accesses.push(...optionValues(argv, ['-a'], ['--arg-file']).map(read));
  if (program === 'find' && argv.some((word) => word.text === '-delete')) {
    const starts = argv
      .slice(1)
      .findIndex((word) => word.text.startsWith('-') || word.text === '(' || word.text === '!');
    const roots = argv.slice(1, starts === -1 ? undefined : starts + 1).map((word) => word.text);
    accesses.push(...(roots.length === 0 ? ['.'] : roots).map((path) => write(path, true)));
  }
  return accesses.filter((access) => access.path !== '' && !DEV_PATHS.test(access.path));
}

/** `@file` and `name=@file` / `name=<file` arguments (curl -F, --data-binary, httpie …). */
function uploadReads(argv: readonly EvaluatedWord[]): FileAccess[] {
  const out: FileAccess[] = [];
  for (const word of argv.slice(1)) {
    if (!word.text.includes('@') && !word.text.includes('<')) continue;
    const match = /^(?:[^=@<\s]*=)?[@<]([^;]+)/.exec(word.text);
    if (match?.[1] !== undefined && (word.text.startsWith('@') || /^[^=]*=[@<]/.test(word.text)))
      out.push(read(match[1]));
  }
  return out;
}

function copyAccesses(
  program: string,
  argv: readonly EvaluatedWord[],
  operands: string[],
  recursive: boolean,
): FileAccess[] {
  const isRemote = (path: string): boolean => /^[^/]*:/.test(path) && !path.startsWith('/');
  const targetDir = optionValues(argv, ['-t'], ['--target-directory'])[0];
  const sources = targetDir === undefined ? operands.slice(0, -1) : operands;
  const destination = targetDir ?? (operands.length > 1 ? operands[operands.length - 1] : undefined);
  const out: FileAccess[] = [];
  if (program === 'mv') out.push(...sources.map((path) => write(path)));
  if (program !== 'ln' && program !== 'install')
    out.push(...sources.filter((path) => !isRemote(path)).map(read));
  if (program === 'install' && hasFlag(argv, 'd', ['--directory']))
    return operands.map((path) => write(path));
  if (destination !== undefined && !isRemote(destination)) {
    out.push(write(destination, recursive || program === 'rsync'));
  } else if (program === 'ln' && operands.length === 1 && operands[0] !== undefined) {
    out.push(write(operands[0].split('/').pop() ?? operands[0]));
  }
  return out;
}

function archiveAccesses(program: string, argv: readonly EvaluatedWord[], operands: string[]): FileAccess[] {
  if (program === 'zip') {
    const [archive, ...files] = operands;
    return [...(archive === undefined ? [] : [write(archive)]), ...files.map(read)];
  }
  const first = argv[1]?.text ?? '';
  const bundled = /^[A-Za-z]+$/.test(first) ? first : '';
  const creating = bundled.includes('c') || hasFlag(argv, 'c', ['--create']);
  const archives = optionValues(argv, ['-f'], ['--file']);
  if (bundled.includes('f') && operands[1] !== undefined) archives.push(operands[1]);
  const files = operands.filter(
    (path, index) =>
      !(bundled !== '' && index <= (bundled.includes('f') ? 1 : 0)) && !archives.includes(path),
  );
  return [
    ...archives.map((path) => (creating ? write(path) : read(path))),
    ...(creating ? files.map(read) : []),
  ];
}
