/** Help texts of `cavra evidence …` (kept beside help.ts's, in the same style; docs/cli.md shows examples). */

const DB = `      --db <url|path>          the store: a SQLite file or a postgres:// URL
                               (default: $CAVRA_DATABASE_URL, else .cavra/cavra.db)`;

export const EVIDENCE_HELP = {
  main: `usage: cavra evidence <subcommand> [options]

record-keeping for decisions: a hash-chained, Merkle-tree evidence log with signed checkpoints, and
upstream-compatible session bundles. decisions get into the log with 'cavra evaluate … --record'.

subcommands:
  keygen                       make an Ed25519 key pair and its trust root (.cavra/keys)
  trust-root <list|create|bundle|retire|revoke>
                               manage the keys an auditor trusts, their status and validity windows
  checkpoint                   sign a checkpoint over the whole stored log now
  export --out <log.jsonl>     write the stored log and its checkpoints as JSONL
  proof <decision_id>          a decision's entry and inclusion proof against the latest checkpoint
  verify <bundle|--log F|--db S>
                               verify a bundle (folder or .zip), an exported log, or the store's log
  bundle --session <id>        write a session's evidence bundle (with inclusion-proofs.json)
  export-siem <bundle> --provider <p>
                               Splunk HEC, Sentinel, Datadog, webhook, OCSF or JSONL exports of a bundle

exit codes: 0 ok or valid, 1 invalid or failed, 2 usage errors (unreadable inputs included).
run 'cavra evidence <subcommand> --help' for its options. docs: docs/cli.md, docs/evidence-log.md
`,
  keygen: `usage: cavra evidence keygen [--out <dir>] [--key-id <id>] [--owner <name>] [--force] [--json]

make an Ed25519 key pair in upstream's PEM files and an active trust root for it, valid from now:
  <dir>/evidence-ed25519-private.pem   PKCS#8, mode 0600: signs checkpoints and bundles; keep it secret
  <dir>/evidence-ed25519-public.pem    SPKI
  <dir>/evidence-trust-root.json       cavra.evidence.trust-root.v1: what auditors verify with

options:
  -o, --out <dir>       where to write (default: .cavra/keys)
      --key-id <id>     the trust root's key id (default: the first 16 hex of the public key's fingerprint)
      --owner <name>    the trust root's owner (default: platform-security)
      --force           replace existing key files (what the old key signed then verifies only with its old
                        trust root: retire it with 'cavra evidence trust-root retire' and keep it)
      --json            print the key id, fingerprint and paths as JSON
`,
  'trust-root': `usage: cavra evidence trust-root list <file> [--json]
       cavra evidence trust-root create --public-key <public.pem> [--key-id <id>] [--owner <name>]
                                        [--valid-from <time>] [--valid-until <time>] [--out <file>]
       cavra evidence trust-root bundle <file>… [--out <file>]
       cavra evidence trust-root retire <file> [--key-id <id>] [--valid-until <time>]
       cavra evidence trust-root revoke <file> [--key-id <id>]

trust roots say which keys may vouch for checkpoints and bundles, and when:
  active    verifies what it signed within [valid_from, valid_until] (no end when valid_until is null)
  retired   the same, and needs a valid_until: rotated out, still verifies what it signed before
  revoked   verifies nothing, whatever the time: use it for a key that may be in other hands

  list      show the roots of a trust-root file or bundle
  create    a root for a public key (printed, or written with --out)
  bundle    one cavra.evidence.trust-root-bundle.v1 of several roots or bundles (printed, or --out)
  retire    mark a root retired, in place; the window ends at --valid-until (default: its own, else now)
  revoke    mark a root revoked, in place (final)
  a file with several roots needs --key-id. times are RFC 3339 with an offset (2026-06-30T00:00:00Z).
`,
  checkpoint: `usage: cavra evidence checkpoint [--db <url|path>] [--key <private.pem>] [--json]

sign a checkpoint (a C2SP signed note over the log's size and Merkle root) over the whole stored log now,
and store it. the stored log is checked first; a store whose entries or checkpoints do not check out is
not signed over (exit 1).

options:
${DB}
  -k, --key <private.pem>      the signing key (default: .cavra/keys/evidence-ed25519-private.pem)
      --json                   print the checkpoint record as JSON
`,
  export: `usage: cavra evidence export --out <log.jsonl|-> [--db <url|path>] [--json]

write the whole stored log and its checkpoints as JSONL: one RFC 8785 record per line, each checkpoint
after the entry that completes its tree. '-' writes to standard output. the file is what
'cavra evidence verify --log' and docs/evidence-log.md's offline verifier read.

options:
  -o, --out <file|->           where to write (replaced atomically)
${DB}
      --json                   report the counts and path as JSON
`,
  proof: `usage: cavra evidence proof <decision_id> [--db <url|path>] [--trust-root <file>] [--json]

print a decision's log entry, its Merkle leaf, and its inclusion proof against the latest signed
checkpoint, after checking the proof against the signed root and the signature against the trust root.
exit 1 when no checkpoint covers the entry yet (run 'cavra evidence checkpoint') or a check fails.

options:
${DB}
      --trust-root <file>      trust root(s) for the checkpoint signature
                               (default: .cavra/keys/evidence-trust-root.json when it exists)
      --json                   print the proof as JSON
`,
  verify: `usage: cavra evidence verify <bundle-dir|bundle.zip> [--key <hmac> | --public-key <pem> | --trust-root <file>]
                             [--key-id <id>] [--minimum-retention-days <n>] [--require-signature] [--json]
       cavra evidence verify --log <file.jsonl> [--trust-root <file> | --public-key <pem>]
                             [--trusted-checkpoint <file>] [--require-signature] [--progress] [--json]
       cavra evidence verify --db <url|path> [same options as --log]

verify a session bundle (manifest, checksums, signature, inclusion proofs) or an evidence log (every
entry hash, the hash chain, the Merkle root at every checkpoint, checkpoint signatures and key windows).
every error is listed with the entry sequence (and line) it concerns, then every warning.
exit 0 valid, 1 invalid, 2 usage errors.

options:
      --log <file.jsonl>             verify an exported log ('cavra evidence export')
      --db <url|path>                verify the log in a store
  -k, --key <hmac>                   bundles: the HMAC key of an HS256 manifest
      --public-key <pem>             the Ed25519 public key (manifest and checkpoints; no validity window)
      --trust-root <file>            a trust root or bundle of roots (checkpoints; the manifest too unless
                                     --key or --public-key is given)
      --key-id <id>                  bundles: the key id the manifest must name
      --minimum-retention-days <n>   bundles: require a retention policy of at least n days
      --trusted-checkpoint <file>    logs: a checkpoint accepted earlier; the log must still contain it
                                     (detects a rollback to an older copy)
      --require-signature            fail when no signature could be verified (and, for logs, when entries
                                     are not covered by a verified checkpoint)
      --progress                     show progress on stderr even when it is not a terminal
      --json                         print the report as JSON
`,
  bundle: `usage: cavra evidence bundle --session <id> [--db <url|path>] [--out <dir|file.zip>] [--zip]
                             [--key <hmac> | --private-key <pem> [--key-id <id>]] [--force] [--json]

write upstream's session evidence bundle (evidence.json, pr-attestation.md, compliance-mapping.md,
siem-event.json, sandbox-run-summary.json, retention-policy.json, manifest.json) from the stored log, plus
inclusion-proofs.json: each decision's log entry and inclusion proof against a signed checkpoint. when no
checkpoint covers the session yet, one is signed first (with --private-key, else the key in .cavra/keys).

options:
  -s, --session <id>           the session to bundle
${DB}
  -o, --out <dir|file.zip>     where to write (default: .cavra/bundles/<session>, or
                               .cavra/bundles/<session>-evidence-bundle.zip with --zip)
      --zip                    write one .zip archive instead of a folder
  -k, --key <hmac>             sign the manifest with HS256 (HMAC-SHA256)
      --private-key <pem>      sign the manifest with Ed25519 (default: SHA256 digest only, as upstream)
      --key-id <id>            the key id to put in an Ed25519 signature (default: the key's trust root's)
      --force                  replace an existing bundle
      --json                   print what was written as JSON
`,
  'export-siem': `usage: cavra evidence export-siem <bundle-dir|bundle.zip> --provider <provider> [--out <dir>] [--json]

export a bundle for a SIEM. the bundle must verify (integrity) first.
  all        the four upstream payloads below
  splunk     splunk-hec-events.json (Splunk HTTP Event Collector)
  sentinel   sentinel-log-analytics.json (Microsoft Sentinel / Log Analytics)
  datadog    datadog-events.json
  webhook    webhook-payload.json (cavra.webhook.evidence.v1)
  ocsf       ocsf-events.jsonl: one OCSF 1.6.0 API Activity event per decision
  jsonl      decisions.jsonl: one decision per line

options:
  -p, --provider <provider>    what to export (see above)
  -o, --out <dir>              where to write (default: <bundle>-siem next to the bundle)
      --json                   list the files written as JSON
`,
} as const;
