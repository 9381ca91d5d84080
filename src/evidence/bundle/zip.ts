/**
 * A bundle as one `.zip` (deflate), for browser downloads in the sandbox and for upload to verification, via
 * fflate (pure JS, no Node or DOM APIs). Upstream serves `{session_id}-evidence-bundle.zip`.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { EvidenceResult } from '../types';

/** Upstream's download name for a session's bundle archive. */
export function bundleZipName(sessionId: string): string {
  return `${sessionId}-evidence-bundle.zip`;
}

/** Refuse archives that would inflate past this (a zip bomb must not take the tab or the server down). */
export const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;

// DOS timestamps cannot go before 1980; a fixed time keeps archives of equal bundles equal (in one time zone:
// fflate writes local time, so the archive bytes are not a verification input — the files inside are).
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Zips bundle files at the archive root, in map order, with a fixed modification time. */
export function bundleToZip(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const archive: Zippable = {};
  for (const [name, bytes] of files) {
    // defineProperty: a file named "__proto__" is data, never the object's prototype.
    Object.defineProperty(archive, name, { value: bytes, enumerable: true });
  }
  return zipSync(archive, { level: 6, mtime: FIXED_MTIME });
}

/**
 * Reads a bundle archive back into file name → bytes. Files may sit at the root or under one top-level
 * folder (a zipped bundle directory); directory entries are skipped; deeper paths, duplicate names after
 * stripping, archives over `maxBytes` (default {@link MAX_UNZIPPED_BYTES}) and damaged archives are errors.
 */
export function zipToBundle(
  bytes: Uint8Array,
  maxBytes: number = MAX_UNZIPPED_BYTES,
): EvidenceResult<Map<string, Uint8Array>> {
  const budget = { total: 0, isExceeded: false };
  let entries: [string, Uint8Array][];
  try {
    const unzipped = unzipSync(bytes, {
      // Sizes are the archive's claims; fflate fails on a stream that inflates past its claimed size.
      filter: (file) => {
        budget.total += file.originalSize;
        budget.isExceeded ||= budget.total > maxBytes;
        return !budget.isExceeded && !file.name.endsWith('/');
      },
    });
    entries = Object.entries(unzipped);
  } catch (error) {
    const message = `not a readable zip archive: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, error: { code: 'zip_unreadable', message } };
  }
  if (budget.isExceeded) {
    return {
      ok: false,
      error: {
        code: 'zip_too_large',
        message: `the archive inflates to more than ${maxBytes} bytes`,
      },
    };
  }
  const tops = new Set(
    entries.map(([name]) => (name.includes('/') ? name.slice(0, name.indexOf('/') + 1) : '')),
  );
  const prefix = tops.size === 1 ? ([...tops][0] ?? '') : '';
  const files = new Map<string, Uint8Array>();
  for (const [name, content] of entries) {
    const base = name.slice(prefix.length);
    if (base.includes('/') || base === '' || files.has(base)) {
      return {
        ok: false,
        error: { code: 'zip_bad_layout', message: `unexpected path in the archive: ${name}` },
      };
    }
    files.set(base, content);
  }
  return { ok: true, value: files };
}
