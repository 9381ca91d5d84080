/**
 * AST of the bash subset the command guard analyses. Produced by `parseShell` (parse.ts).
 *
 * Design notes:
 * - Every construct that can run a command is represented, so a walker can reach every simple command:
 *   lists, pipelines, subshells, brace groups, if/for/while/until/case bodies, function bodies,
 *   command substitutions (`$( )`, backticks), process substitutions (`<( )`, `>( )`), and substitutions
 *   nested inside parameter expansions, arithmetic, `[[ ]]` tests and unquoted here-documents.
 * - Words keep their structure (literal, quoted, expansion parts) so the analyser can tell a static word
 *   from one whose value is only known at run time.
 * - `start`/`end` are UTF-16 offsets into the source text (end exclusive).
 */

export type Span = { start: number; end: number };

/** A whole program: a sequence of statements (separated by `;`, `&`, or newlines). */
export type Script = Span & { type: 'Script'; statements: Statement[] };

/** An and-or list, optionally run in the background (`&`). */
export type Statement = Span & {
  type: 'Statement';
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
  background: boolean;
};

/** `a | b |& c`, optionally negated with `!`. `pipeStderr[i]` is true when command i is joined to i+1 by `|&`. */
export type Pipeline = Span & {
  type: 'Pipeline';
  negated: boolean;
  commands: Command[];
  pipeStderr: boolean[];
};

export type Command =
  | SimpleCommand
  | Subshell
  | BraceGroup
  | IfClause
  | ForClause
  | WhileClause
  | CaseClause
  | FunctionDef
  | TestClause
  | ArithCommand;

/**
 * `NAME=value ... word word ... redirections` (redirections may appear anywhere among the words).
 * The `time [-p]` keyword is not a node of its own: before a simple command its words are the first words of
 * that command (`time -p make` has words `time -p make`), before a compound command it is dropped.
 * Declaration builtins (`declare`, `local`, `export`, …) and `coproc` are ordinary simple commands; an array
 * argument such as `declare -a x=(1 2)` is one word with parts `x=(`, `1`, ` `, `2`, `)`.
 */
export type SimpleCommand = Span & {
  type: 'SimpleCommand';
  assignments: Assignment[];
  words: Word[];
  redirects: Redirect[];
};

/** `NAME=value`, `NAME+=value`, `NAME[i]=value`, `NAME=(a b c)`. */
export type Assignment = Span & {
  type: 'Assignment';
  /** The variable name, without any `[subscript]`. */
  name: string;
  append: boolean;
  /** The value; null for an array assignment. An empty value (`A=`) is a word with no parts. */
  value: Word | null;
  /** Array assignment elements, when the value is `( … )`. */
  array: Word[] | null;
  /** The subscript of `NAME[i]=value` (it can hold substitutions), else null. */
  subscript: ArithText | null;
};

export type RedirectOp = '<' | '>' | '>>' | '>|' | '<>' | '<<' | '<<-' | '<<<' | '<&' | '>&' | '&>' | '&>>';

/** A redirection. `fd` is the explicit descriptor (`2>`), or `{var}` form, else null. */
export type Redirect = Span & {
  type: 'Redirect';
  op: RedirectOp;
  fd: string | null;
  /** The file (or descriptor, for `>&` / `<&`; the delimiter, for here-documents; the string, for `<<<`). */
  target: Word;
  /**
   * Here-document body (including its final newline; leading tabs already stripped for `<<-`). When the
   * delimiter is unquoted its expansions are parsed (Literal parts with `glob: false` and expansions, as in double
   * quotes but without a DoubleQuoted wrapper); when quoted it is one Literal.
   */
  heredoc: Word | null;
};

export type Subshell = Span & { type: 'Subshell'; body: Script; redirects: Redirect[] };
export type BraceGroup = Span & { type: 'BraceGroup'; body: Script; redirects: Redirect[] };

export type IfClause = Span & {
  type: 'IfClause';
  /** `if`/`elif` branches in order. */
  branches: { condition: Script; body: Script }[];
  elseBody: Script | null;
  redirects: Redirect[];
};

/** `for x in a b; do …; done`, `for x; do …`, `select x in …`, and C-style `for ((…;…;…))`. */
export type ForClause = Span & {
  type: 'ForClause';
  keyword: 'for' | 'select';
  variable: string | null;
  /** The `in` list; null when absent (iterates "$@") or for the C-style form. */
  items: Word[] | null;
  /** C-style header text between `((` and `))`, with any substitutions it contains. */
  arithmetic: ArithText | null;
  body: Script;
  redirects: Redirect[];
};

export type WhileClause = Span & {
  type: 'WhileClause';
  until: boolean;
  condition: Script;
  body: Script;
  redirects: Redirect[];
};

export type CaseClause = Span & {
  type: 'CaseClause';
  word: Word;
  items: { patterns: Word[]; body: Script; terminator: ';;' | ';&' | ';;&' | null }[];
  redirects: Redirect[];
};

/**
 * `name() compound` or `function name [()] compound`. Redirections written after the body belong to the body
 * command (they apply each time it runs), so `redirects` is always empty. Like mvdan-sh, a simple command is
 * accepted as the body.
 */
export type FunctionDef = Span & { type: 'FunctionDef'; name: string; body: Command; redirects: Redirect[] };

/**
 * `[[ … ]]`: its operands as words (operators included as literal words: `-f`, `==`, `&&`, `!`, `(`, `<`). The
 * operand after `=~` is one word in which `(`, `)` and `|` are literal.
 */
export type TestClause = Span & { type: 'TestClause'; words: Word[]; redirects: Redirect[] };

/** `(( … ))` arithmetic command. */
export type ArithCommand = Span & { type: 'ArithCommand'; arithmetic: ArithText; redirects: Redirect[] };

/** Raw arithmetic text plus the command substitutions / expansions found inside it. */
export type ArithText = { raw: string; parts: WordPart[] };

/** A word: a sequence of parts concatenated without separators. */
export type Word = Span & { type: 'Word'; parts: WordPart[] };

export type WordPart =
  /** Unquoted literal text with backslash escapes already removed. `glob` marks unquoted `*`, `?` or `[` in it. */
  | { type: 'Literal'; value: string; glob: boolean }
  /** `'…'` (raw) or `$'…'` (ANSI-C escapes decoded). */
  | { type: 'SingleQuoted'; value: string; ansiC: boolean }
  /** `"…"` or `$"…"`, with its inner parts (Literal parts inside never have glob = true). */
  | { type: 'DoubleQuoted'; parts: WordPart[] }
  /**
   * `$name`, `${name…}`, `$1`, `$@`, … `name` is the parameter without prefix or subscript (`${#a[@]}` → `a`).
   * `operand` holds the parts of a `${x:-word}`-style operand (everything after the operator, e.g. `b/c` for
   * `${x/b/c}` or `1:2` for `${x:1:2}`), preceded by any expansions found in an array subscript.
   */
  | { type: 'ParamExpansion'; name: string; raw: string; operand: WordPart[] }
  /** `$( … )` or backticks. `raw` is the source text between the delimiters (escaped form for backquotes). */
  | { type: 'CommandSubstitution'; script: Script; backquote: boolean; raw: string }
  /** `$(( … ))` or `$[ … ]`. */
  | { type: 'ArithExpansion'; arithmetic: ArithText }
  /** `<( … )` or `>( … )`. */
  | { type: 'ProcessSubstitution'; direction: 'in' | 'out'; script: Script; raw: string }
  /** Brace expansion `{a,b}` / `{1..3}` kept as raw text; `alternatives` are the parsed comma alternatives. */
  | { type: 'BraceExpansion'; raw: string; alternatives: WordPart[][] };

/** A parse failure: a message a user can act on and the offset where parsing stopped. */
export type ShellSyntaxError = { message: string; offset: number };

export type ParseResult = { ok: true; script: Script } | { ok: false; error: ShellSyntaxError };
