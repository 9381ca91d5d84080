import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml';
import policySchema from '../../../policies/policy.schema.json';
import type { JsonObject, JsonValue } from '../types';

/** One problem found in a pack document, located by file, line and column (1-based). */
export type PolicyDiagnostic = {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  /** JSON pointer of the offending value (`/commands/block/2`). */
  path: string;
  message: string;
  /** What failed: the JSON Schema keyword (`required`, `type`, `additionalProperties` …) or `syntax`. */
  code?: string;
};

export type ParsedPack = {
  file: string;
  /** The document as data; undefined when it could not be parsed at all. */
  document: JsonObject | undefined;
  diagnostics: PolicyDiagnostic[];
};

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let validator: Validator | undefined;

function getValidator(): Validator {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(policySchema);
  return validator;
}

/** The JSON Schema packs are validated against (shipped as `policies/policy.schema.json`). */
export const POLICY_SCHEMA: unknown = policySchema;

/**
 * Parses a pack from YAML (or JSON, which is YAML) text and validates it against the pack schema.
 * Unknown keys are warnings (upstream accepts them silently); everything else the schema rejects is an error.
 */
export function parsePack(source: string, file: string): ParsedPack {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: PolicyDiagnostic[] = [];
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  for (const error of doc.errors) {
    diagnostics.push({
      severity: 'error',
      file,
      path: '',
      message: error.message,
      code: 'syntax',
      ...at(error.pos[0]),
    });
  }
  if (doc.errors.length > 0) return { file, document: undefined, diagnostics };
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!isJsonObject(data)) {
    diagnostics.push({
      severity: 'error',
      file,
      path: '',
      message: 'a pack must be a mapping',
      line: 1,
      column: 1,
    });
    return { file, document: undefined, diagnostics };
  }
  const validate = getValidator();
  if (!validate(data)) {
    for (const error of validate.errors ?? []) diagnostics.push(toDiagnostic(error, doc, file, at));
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { file, document: data, diagnostics };
}

function toDiagnostic(
  error: ErrorObject,
  doc: Document,
  file: string,
  at: (offset: number) => { line: number; column: number },
): PolicyDiagnostic {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const unknownKey =
    error.keyword === 'additionalProperties' ? String(error.params['additionalProperty']) : undefined;
  const path = unknownKey === undefined ? segments : [...segments, unknownKey];
  const offset = locate(doc, path, unknownKey !== undefined);
  const pointer = '/' + path.join('/');
  if (unknownKey !== undefined) {
    return {
      severity: 'warning',
      code: error.keyword,
      file,
      path: pointer,
      message: `unknown key '${unknownKey}' (ignored by the engine)`,
      ...at(offset),
    };
  }
  const allowed = error.params['allowedValues'] as unknown;
  const detail = Array.isArray(allowed) ? `: expected one of ${allowed.map(String).join(', ')}` : '';
  return {
    severity: 'error',
    code: error.keyword,
    file,
    path: pointer,
    message: `${friendlyMessage(error)}${detail}`,
    ...at(offset),
  };
}

/** Source offset of the node at `path` (the key itself when `atKey`), falling back to the nearest parent. */
function locate(doc: Document, path: string[], atKey: boolean): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const prefix = path.slice(0, depth).map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    if (atKey && depth === path.length) {
      const parent: unknown = doc.getIn(prefix.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find(
          (item) => isScalar(item.key) && item.key.value === path[path.length - 1],
        );
        if (isScalar(pair?.key) && pair.key.range) return pair.key.range[0];
      }
      continue;
    }
    const node: unknown = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return range[0];
  }
  return 0;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonValueArray(value: unknown): value is JsonValue[] {
  return Array.isArray(value);
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  null: 'null',
};

/** Ajv's terse messages rephrased for pack authors ("must be a list", not "must be array"). */
function friendlyMessage(error: ErrorObject): string {
  const expected: unknown = error.params['type'];
  if (error.keyword === 'type' && typeof expected === 'string') {
    const names = expected.split(',').map((name) => TYPE_NAMES[name] ?? name);
    return `must be ${names.join(' or ')}`;
  }
  if (error.keyword === 'required')
    return `missing required key '${String(error.params['missingProperty'])}'`;
  if (error.keyword === 'minLength') return 'must not be empty';
  return error.message ?? 'invalid';
}
