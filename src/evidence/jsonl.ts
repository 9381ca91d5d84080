/**
 * The log as one JSONL file: each line is the RFC 8785 (JCS) form of an entry (`cavra.evidence.entry.v1`) or
 * of a signed checkpoint (`cavra.evidence.checkpoint.v1`), so a file's bytes are determined by its content
 * and any edited byte is detectable. Checkpoints follow the entry that completes their tree.
 */
import { canonicalJson } from './canonical';
import type { JsonValue } from '../engine';
import { CHECKPOINT_SCHEMA, type CheckpointRecord } from './checkpoint';
import { ENTRY_SCHEMA } from './entry';
import type {
  EvidenceCrypto,
  EvidenceEntry,
  EvidenceResult,
  VerificationIssue,
  VerificationReport,
} from './types';
import {
  verifyEntrySource,
  type EntrySource,
  type LogTrust,
  type SourceEntry,
  type VerifyProgress,
} from './verify-log';

/**
 * Writes a log and its checkpoints as JSONL: entries in the order given, each checkpoint right after the
 * entry that completes its tree (size-0 checkpoints first, ones beyond the last entry at the end).
 */
export function exportJsonl(
  entries: readonly EvidenceEntry[],
  checkpoints: readonly CheckpointRecord[],
): string {
  const bySize = [...checkpoints].sort((a, b) => a.tree_size - b.tree_size);
  let next = 0;
  const out: string[] = [];
  const flush = (size: number): void => {
    while (next < bySize.length && (bySize[next] as CheckpointRecord).tree_size <= size) {
      out.push(canonicalJson(bySize[next] as JsonValue));
      next += 1;
    }
  };
  flush(0);
  entries.forEach((entry, i) => {
    out.push(canonicalJson(entry));
    flush(i + 1);
  });
  flush(Number.POSITIVE_INFINITY);
  return out.map((line) => `${line}\n`).join('');
}

/** A JSONL file split into records, not yet verified: entries and checkpoints are still `unknown`. */
export type JsonlDocument = {
  entries: unknown[];
  /** The text of each entry's line and its 1-based line number (same index as `entries`). */
  entryLines: string[];
  entryLineNumbers: number[];
  checkpoints: unknown[];
  /** Lines that are not JSON, not a known record, blank or (checkpoints) not canonical. */
  errors: VerificationIssue[];
};

/** An entry line found by the scan; `value` is set when classifying it already required parsing it. */
type EntryLine = { text: string; line: number; value?: unknown };
type Scan = { entryLines: EntryLine[]; checkpoints: unknown[]; errors: VerificationIssue[] };

// JCS sorts `entry_hash` first, so every canonical entry line starts with this and needs no parse to classify.
const ENTRY_PREFIX = '{"entry_hash":"';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCanonicalLine(value: unknown, line: string): boolean {
  try {
    return canonicalJson(value as JsonValue) === line;
  } catch {
    return false;
  }
}

function lineIssue(line: number, code: string, detail: string): VerificationIssue {
  return { code, message: `line ${line}: ${detail}`, line };
}

function parseLine(text: string, line: number): { value: unknown } | { parseError: VerificationIssue } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (cause) {
    return {
      parseError: lineIssue(line, 'jsonl_invalid_json', `not valid JSON (${(cause as Error).message})`),
    };
  }
}

/** Classifies lines; entry lines in canonical form are left unparsed (the verifier parses them one by one). */
function scanJsonl(text: string): Scan {
  const scan: Scan = { entryLines: [], checkpoints: [], errors: [] };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (line.startsWith(ENTRY_PREFIX)) {
      scan.entryLines.push({ text: line, line: lineNumber });
      return;
    }
    if (line.trim() === '') {
      scan.errors.push(lineIssue(lineNumber, 'jsonl_blank_line', 'blank line'));
      return;
    }
    const parsed = parseLine(line, lineNumber);
    if ('parseError' in parsed) {
      scan.errors.push(parsed.parseError);
      return;
    }
    const schema = isRecord(parsed.value) ? parsed.value.schema_version : undefined;
    if (schema === ENTRY_SCHEMA) {
      scan.entryLines.push({ text: line, line: lineNumber, value: parsed.value });
    } else if (schema === CHECKPOINT_SCHEMA) {
      if (!isCanonicalLine(parsed.value, line)) {
        scan.errors.push(
          lineIssue(lineNumber, 'jsonl_line_not_canonical', 'the checkpoint is not in RFC 8785 form'),
        );
      }
      scan.checkpoints.push(parsed.value);
    } else {
      scan.errors.push(
        lineIssue(lineNumber, 'jsonl_unknown_record', `not a ${ENTRY_SCHEMA} or ${CHECKPOINT_SCHEMA} record`),
      );
    }
  });
  return scan;
}

function readEntryLine(entry: EntryLine): SourceEntry | { parseError: VerificationIssue } {
  const parsed = entry.value === undefined ? parseLine(entry.text, entry.line) : { value: entry.value };
  return 'parseError' in parsed ? parsed : { value: parsed.value, text: entry.text, line: entry.line };
}

/** Splits JSONL text into entry and checkpoint records; problems are reported with their line numbers. */
export function parseJsonl(text: string): JsonlDocument {
  const scan = scanJsonl(text);
  const doc: JsonlDocument = {
    entries: [],
    entryLines: [],
    entryLineNumbers: [],
    checkpoints: scan.checkpoints,
    errors: scan.errors,
  };
  for (const entry of scan.entryLines) {
    const read = readEntryLine(entry);
    if ('parseError' in read) {
      doc.errors.push(read.parseError);
      continue;
    }
    doc.entries.push(read.value);
    doc.entryLines.push(entry.text);
    doc.entryLineNumbers.push(entry.line);
  }
  doc.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return doc;
}

function withErrors(
  report: VerificationReport,
  parseErrors: readonly VerificationIssue[],
): VerificationReport {
  const errors = [...parseErrors, ...report.errors];
  return { ...report, valid: errors.length === 0, errors };
}

/**
 * Parses and verifies a JSONL log, streaming its entry lines through the verifier (each is parsed once and
 * not kept), so memory stays flat on large files. Parse problems are errors of the same report.
 */
export function verifyJsonl(
  text: string,
  trust: LogTrust,
  crypto: EvidenceCrypto,
  onProgress?: (progress: VerifyProgress) => void,
): VerificationReport {
  const scan = scanJsonl(text);
  const source: EntrySource = {
    count: scan.entryLines.length,
    read: (i) => readEntryLine(scan.entryLines[i] as EntryLine),
  };
  return withErrors(verifyEntrySource(source, scan.checkpoints, trust, crypto, onProgress), scan.errors);
}

/**
 * Reads a JSONL log at a trust boundary (import into a store, an auditor's copy): the typed entries and
 * checkpoints only when the whole file verifies, else the error `log_invalid` with the report's first error.
 */
export function importJsonl(
  text: string,
  trust: LogTrust,
  crypto: EvidenceCrypto,
  onProgress?: (progress: VerifyProgress) => void,
): EvidenceResult<{ entries: EvidenceEntry[]; checkpoints: CheckpointRecord[]; report: VerificationReport }> {
  const doc = parseJsonl(text);
  const source: EntrySource = {
    count: doc.entries.length,
    read: (i) => ({ value: doc.entries[i], text: doc.entryLines[i], line: doc.entryLineNumbers[i] }),
  };
  const report = withErrors(
    verifyEntrySource(source, doc.checkpoints, trust, crypto, onProgress),
    doc.errors,
  );
  if (!report.valid) {
    const first = report.errors[0]?.message ?? 'unknown error';
    const more = report.errors.length > 1 ? ` (and ${report.errors.length - 1} more)` : '';
    return { ok: false, error: { code: 'log_invalid', message: `the log does not verify: ${first}${more}` } };
  }
  // INVARIANT: a valid report means every entry and checkpoint passed the schema checks.
  return {
    ok: true,
    value: {
      entries: doc.entries as EvidenceEntry[],
      checkpoints: doc.checkpoints as CheckpointRecord[],
      report,
    },
  };
}
