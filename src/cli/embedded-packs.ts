/**
 * The packs shipped in `policies/`, already parsed and validated, as JSON text keyed by the SHA-256 of their
 * YAML source. Empty here: the CLI build (scripts/embedded-packs.mjs) replaces this module with the real
 * table, so the built `cavra` skips YAML parsing and schema validation for a bundled pack whose file is
 * unchanged, while running from source (tsx, vitest) parses every pack (docs/decisions/0024-cold-start.md).
 */
export const EMBEDDED_PACKS: Readonly<Partial<Record<string, string>>> = {};
