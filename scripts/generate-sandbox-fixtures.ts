/**
 * `npm run fixtures`: regenerates `fixtures/sandbox/` (the sandbox seed) from a fixed seed by driving the real
 * API over sql.js. Deterministic: running it twice writes identical bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import { buildFixtureFiles } from '../sandbox/fixtures/files';
import { readBundledPolicies } from '../sandbox/node/node-policies';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'fixtures', 'sandbox');
const started = performance.now();
// zlib's level 9 (the gzip header of Node's zlib carries no time): the bytes depend on the data only.
const { files, manifest } = await buildFixtureFiles(
  readBundledPolicies(root),
  await initSqlJs(),
  undefined,
  (data) => gzipSync(data, { level: 9, memLevel: 9 }),
);
mkdirSync(outDir, { recursive: true });
for (const [name, bytes] of files) writeFileSync(join(outDir, name), bytes);
const { report } = manifest;
console.log(
  `fixtures/sandbox: ${report.decisions} decisions in ${report.sessions} sessions, ${report.checkpoints} checkpoints, ` +
    `approvals ${JSON.stringify(report.approvals)}; seed ${(manifest.seed_bytes / 1024).toFixed(0)} KiB gz ` +
    `(${(manifest.database_bytes / 1024).toFixed(0)} KiB db) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const step of report.skipped) console.log(`skipped: ${step}`);
