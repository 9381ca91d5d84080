import type { Script, Word, WordPart } from '../shell/ast';

/** A word as the analyser sees it. */
export type EvaluatedWord = {
  /** Quote-removed text; run-time parts keep their source form (`$HOME/.env`). */
  text: string;
  /** True when the value is fully known without running anything. */
  isStatic: boolean;
  /** True when an unquoted glob character may expand it at run time. */
  hasGlob: boolean;
  /** Scripts that run while the word is expanded (command and process substitutions). */
  substitutions: { script: Script; kind: 'command' | 'process' }[];
};

/** Variables whose value is known from earlier static assignments in the same command line. */
export type KnownVariables = ReadonlyMap<string, string>;

const MAX_BRACE_EXPANSION = 64;
const SIMPLE_PARAM = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

/**
 * Evaluates a word. Brace expansion may turn one word into several (`.{env,txt}` → `.env`, `.txt`),
 * so a list is returned.
 */
export function evaluateWord(word: Word, variables: KnownVariables): EvaluatedWord[] {
  return evaluateParts(word.parts, variables);
}

const NO_SUBSTITUTIONS: EvaluatedWord['substitutions'] = [];

function evaluateParts(parts: readonly WordPart[], variables: KnownVariables): EvaluatedWord[] {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === 'Literal') {
    // The common case (`npm`, `test`, `--watch`): one unquoted literal.
    return [{ text: only.value, isStatic: true, hasGlob: only.glob, substitutions: NO_SUBSTITUTIONS }];
  }
  let results: EvaluatedWord[] = [{ text: '', isStatic: true, hasGlob: false, substitutions: [] }];
  for (const part of parts) {
    const options = evaluatePart(part, variables);
    const next: EvaluatedWord[] = [];
    for (const prefix of results) {
      for (const option of options) {
        if (next.length >= MAX_BRACE_EXPANSION) break;
        next.push({
          text: prefix.text + option.text,
          isStatic: prefix.isStatic && option.isStatic,
          hasGlob: prefix.hasGlob || option.hasGlob,
          substitutions: [...prefix.substitutions, ...option.substitutions],
        });
      }
    }
    results = next;
  }
  return results;
}

function evaluatePart(part: WordPart, variables: KnownVariables): EvaluatedWord[] {
  const fixed = (text: string, hasGlob = false): EvaluatedWord[] => [
    { text, isStatic: true, hasGlob, substitutions: [] },
  ];
  switch (part.type) {
    case 'Literal':
      return fixed(part.value, part.glob);
    case 'SingleQuoted':
      return fixed(part.value);
    case 'DoubleQuoted': {
      const inner = evaluateParts(part.parts, variables);
      return inner.slice(0, 1).map((word) => ({ ...word, hasGlob: false }));
    }
    case 'ParamExpansion': {
      const name = SIMPLE_PARAM.exec(part.raw)?.[1];
      const known = name === undefined ? undefined : variables.get(name);
      if (known !== undefined) return fixed(known);
      const nested = evaluateParts(part.operand, variables)[0];
      return [
        { text: part.raw, isStatic: false, hasGlob: false, substitutions: nested?.substitutions ?? [] },
      ];
    }
    case 'CommandSubstitution':
      return [
        {
          text: part.backquote ? `\`${part.raw}\`` : `$(${part.raw})`,
          isStatic: false,
          hasGlob: false,
          substitutions: [{ script: part.script, kind: 'command' }],
        },
      ];
    case 'ProcessSubstitution':
      return [
        {
          text: `${part.direction === 'in' ? '<' : '>'}(${part.raw})`,
          isStatic: false,
          hasGlob: false,
          substitutions: [{ script: part.script, kind: 'process' }],
        },
      ];
    case 'ArithExpansion': {
      const nested = evaluateParts(part.arithmetic.parts, variables);
      const substitutions = nested.flatMap((word) => word.substitutions);
      return [{ text: `$((${part.arithmetic.raw}))`, isStatic: false, hasGlob: false, substitutions }];
    }
    case 'BraceExpansion': {
      if (part.alternatives.length === 0) return fixed(part.raw);
      return part.alternatives.flatMap((alternative) => evaluateParts(alternative, variables));
    }
  }
}

/** All substitutions inside a list of word parts (used for arithmetic text and here-documents). */
export function substitutionsOf(
  parts: readonly WordPart[],
  variables: KnownVariables,
): EvaluatedWord['substitutions'] {
  return evaluateParts(parts, variables).flatMap((word) => word.substitutions);
}
