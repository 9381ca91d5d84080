import { zipSync } from 'fflate';
import { expect, test } from 'vitest';
import { utf8 } from '../canonical';
import { nobleCrypto as crypto } from '../crypto';
import { buildSessionBundle } from './bundle';
import { verifyBundle } from './verify';
import { bundleToZip, bundleZipName, zipToBundle } from './zip';

function bundle(): Map<string, Uint8Array> {
  const built = buildSessionBundle({
    sessionId: 'sess_zip',
    createdAt: '2026-05-21T15:40:00+00:00',
    decisions: [],
    crypto,
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.value.files;
}

test('a zipped bundle unzips to the same files and still verifies', { timeout: 20_000 }, () => {
  const files = bundle();
  const zip = bundleToZip(files);
  expect([...zip.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  const back = zipToBundle(zip);
  expect(back.ok && back.value).toEqual(files);
  expect(back.ok && verifyBundle(back.value, { crypto }).valid).toBe(true);
  expect(bundleToZip(files)).toEqual(zip);
  expect(bundleZipName('sess_zip')).toBe('sess_zip-evidence-bundle.zip');
});

test('a bundle directory zipped with its folder is accepted; deeper paths and junk are not', () => {
  const nested = zipSync({ latest: { 'manifest.json': utf8('{}'), 'evidence.json': utf8('{}') } });
  const back = zipToBundle(nested);
  expect(back.ok && [...back.value.keys()].sort()).toEqual(['evidence.json', 'manifest.json']);
  const deep = zipSync({ a: { b: { 'manifest.json': utf8('{}') } }, 'x.json': utf8('{}') });
  expect(zipToBundle(deep)).toMatchObject({ ok: false, error: { code: 'zip_bad_layout' } });
  expect(zipToBundle(utf8('not a zip'))).toMatchObject({ ok: false, error: { code: 'zip_unreadable' } });
});

test('archives that claim to inflate past the limit are refused', () => {
  const big = zipSync({ 'a.bin': new Uint8Array(600), 'b.bin': new Uint8Array(600) });
  expect(zipToBundle(big, 1000)).toMatchObject({ ok: false, error: { code: 'zip_too_large' } });
  expect(zipToBundle(big, 1200).ok).toBe(true);
});
