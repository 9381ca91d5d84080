/**
 * Every export of one bundle by name, for the CLI (`cavra evidence export-siem`) and the API
 * (`GET /evidence/sessions/{id}/export`): upstream's four SIEM payloads from `siem-event.json` (`all` = those
 * four, as upstream), or CAVRA's OCSF and plain JSONL from `evidence.json`'s decisions.
 */
import { utf8 } from '../canonical';
import type { EvidenceResult } from '../types';
import { EVIDENCE_FILE } from './bundle';
import { utf8Decode } from './bytes';
import { decisionsJsonl, readSiemEvent, siemExportFiles, SIEM_PROVIDERS, type SiemProvider } from './exports';
import { ocsfJsonl } from './ocsf';
import { parsePythonJson } from './python-json-parse';
import type { BundleDecision } from './records';

/** What an export can be. */
export const EXPORT_PROVIDERS = ['all', ...SIEM_PROVIDERS, 'ocsf', 'jsonl'] as const;
export type ExportProvider = (typeof EXPORT_PROVIDERS)[number];

/** CAVRA's own export files (upstream's four are named by `SIEM_EXPORT_FILES`). */
export const OCSF_EXPORT_FILE = 'ocsf-events.jsonl';
export const JSONL_EXPORT_FILE = 'decisions.jsonl';

/** The export files of `provider` from a bundle's files, as file name → bytes. */
export function bundleExportFiles(
  files: ReadonlyMap<string, Uint8Array>,
  provider: ExportProvider,
  options: { productVersion: string },
): EvidenceResult<Map<string, Uint8Array>> {
  if (provider === 'ocsf' || provider === 'jsonl') {
    const text = utf8Decode(files.get(EVIDENCE_FILE) ?? new Uint8Array()) ?? '';
    const parsed = parsePythonJson(text);
    const document = parsed.ok ? parsed.value : null;
    const decisions =
      typeof document === 'object' && document !== null && !Array.isArray(document)
        ? (document as { decisions?: unknown }).decisions
        : undefined;
    if (!Array.isArray(decisions)) {
      return {
        ok: false,
        error: { code: 'missing_decisions', message: `${EVIDENCE_FILE} has no decisions list` },
      };
    }
    const list = decisions as BundleDecision[];
    if (provider === 'jsonl')
      return { ok: true, value: new Map([[JSONL_EXPORT_FILE, utf8(decisionsJsonl(list))]]) };
    const ocsf = ocsfJsonl(list, { productVersion: options.productVersion });
    if (!ocsf.ok) return ocsf;
    return { ok: true, value: new Map([[OCSF_EXPORT_FILE, utf8(ocsf.value)]]) };
  }
  const event = readSiemEvent(files);
  if (!event.ok) return event;
  return siemExportFiles(event.value, provider satisfies 'all' | SiemProvider);
}
