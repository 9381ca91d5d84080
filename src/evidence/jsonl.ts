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
import { verifyEntrySource, type LogTrust, type VerifyProgress } from './verify-log';

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

/** Splits JSONL text into entry and checkpoint records; problems are reported with their line numbers. */
export function parseJsonl(text: string): JsonlDocument {
  const doc: JsonlDocument = {
    entries: [],
    entryLines: [],
    entryLineNumbers: [],
    checkpoints: [],
    errors: [],
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const error = (code: string, message: string): void =>
      void doc.errors.push({ code, message: `line ${lineNumber}: ${message}`, line: lineNumber });
    if (line.trim() === '') {
      error('jsonl_blank_line', 'blank line');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      error('jsonl_invalid_json', `not valid JSON (${(cause as Error).message})`);
      return;
    }
    const schema = isRecord(value) ? value.schema_version : undefined;
    if (schema === ENTRY_SCHEMA) {
      doc.entries.push(value);
      doc.entryLines.push(line);
      doc.entryLineNumbers.push(lineNumber);
    } else if (schema === CHECKPOINT_SCHEMA) {
      if (!isCanonicalLine(value, line))
        error('jsonl_line_not_canonical', 'the checkpoint line is not in RFC 8785 form');
      doc.checkpoints.push(value);
    } else {
      error('jsonl_unknown_record', `not a ${ENTRY_SCHEMA} or ${CHECKPOINT_SCHEMA} record`);
    }
  });
  return doc;
}

/** Parses and verifies a JSONL log in one pass; parse problems are errors of the same report. */
export function verifyJsonl(
  text: string,
  trust: LogTrust,
  crypto: EvidenceCrypto,
  onProgress?: (progress: VerifyProgress) => void,
): VerificationReport {
  return readJsonl(text, trust, crypto, onProgress).report;
}

function readJsonl(
  text: string,
  trust: LogTrust,
  crypto: EvidenceCrypto,
  onProgress?: (progress: VerifyProgress) => void,
): { doc: JsonlDocument; report: VerificationReport } {
  const doc = parseJsonl(text);
  const source = { entries: doc.entries, lines: doc.entryLines, lineNumbers: doc.entryLineNumbers };
  const report = verifyEntrySource(source, doc.checkpoints, trust, crypto, onProgress);
  const errors = [...doc.errors, ...report.errors];
  return { doc, report: { ...report, valid: errors.length === 0, errors } };
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
  const { doc, report } = readJsonl(text, trust, crypto, onProgress);
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
