/** Evidence log documents as served: entries, checkpoints, proofs, verification reports, trust roots. */
import { z } from '@hono/zod-openapi';
import { ENTRY_KINDS, type EntryKind } from '../../evidence';
import { PageQuery } from './common';
import { Identifier } from './decision';

const KIND_VALUES = ENTRY_KINDS as readonly [EntryKind, ...EntryKind[]];
const Hex64 = z
  .string()
  .openapi({ example: 'e5dd74daf2ca8b15b9ce76c90027fb1613defa9fd0da15956bb015f9dbdb4e16' });

/** `cavra.evidence.entry.v1` (docs/evidence-log.md §1). */
export const EntrySchema = z
  .object({
    schema_version: z.literal('cavra.evidence.entry.v1'),
    sequence: z.number().int(),
    kind: z.enum(KIND_VALUES),
    recorded_at: z.string(),
    payload: z.record(z.string(), z.unknown()).openapi({ type: 'object', description: 'The record' }),
    previous_hash: z.string().nullable(),
    entry_hash: Hex64,
  })
  .openapi('EvidenceEntry');

/** `cavra.evidence.checkpoint.v1`: a C2SP signed note; the other fields are copies of it. */
export const CheckpointSchema = z
  .object({
    schema_version: z.literal('cavra.evidence.checkpoint.v1'),
    origin: z.string().openapi({ example: 'cavra.dev/evidence/local' }),
    tree_size: z.number().int(),
    root_hash: Hex64,
    timestamp: z.string().nullable(),
    note: z.string().openapi({ description: 'The signed note (authoritative)' }),
  })
  .openapi('Checkpoint');

/** The key this server signs checkpoints and bundle manifests with. */
export const SigningKeySchema = z
  .object({
    key_id: z.string().openapi({ description: 'First 16 hex of public_key_sha256 (upstream key id)' }),
    algorithm: z.literal('Ed25519'),
    public_key_sha256: z.string(),
    public_key_pem: z.string(),
    note_verifier_key: z.string().openapi({
      description: 'The key as a C2SP/Go sumdb note verifier key: <name>+<key id>+<base64 key>',
    }),
  })
  .openapi('SigningKey');

/** `GET /evidence`: the log's status and a page of its entries, newest first. */
export const LogStatusSchema = z
  .object({
    schema_version: z.literal('cavra.evidence.log-status.v1'),
    origin: z.string(),
    size: z.number().int().openapi({ description: 'Entries in the log' }),
    head: z.object({ sequence: z.number().int(), entry_hash: Hex64 }).nullable(),
    latest_checkpoint: CheckpointSchema.nullable(),
    unsigned_entries: z.number().int().openapi({ description: 'Entries after the latest checkpoint' }),
    signing_key: SigningKeySchema,
    items: z.array(EntrySchema),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('EvidenceLogStatus');

/** `GET /evidence` filters. */
export const EntryListQuery = PageQuery.extend({
  session_id: Identifier.optional().openapi({ description: "Only this session's entries" }),
});

/** One decision's proof (as in a bundle's `inclusion-proofs.json`). */
const InclusionProofSchema = z.object({
  decision_id: z.string(),
  sequence: z.number().int(),
  entry: EntrySchema,
  leaf_hash: Hex64,
  inclusion_proof: z.array(z.string()).openapi({ description: 'Sibling hashes, leaf up (RFC 6962)' }),
  checkpoint: z.number().int().openapi({ description: 'Index into `checkpoints`' }),
});

/** `cavra.evidence.inclusion-proofs.v1`, the format of a bundle's `inclusion-proofs.json`. */
export const InclusionProofsSchema = z
  .object({
    schema_version: z.literal('cavra.evidence.inclusion-proofs.v1'),
    product: z.literal('CAVRA'),
    session_id: z.string(),
    checkpoints: z.array(CheckpointSchema),
    proofs: z.array(InclusionProofSchema),
  })
  .openapi('InclusionProofs');

const IssueSchema = z.object({
  code: z.string(),
  message: z.string(),
  sequence: z.number().int().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});

/** `GET /evidence/verify`: `verifyLog`'s report over the stored log. */
export const VerificationSchema = z
  .object({
    schema_version: z.literal('cavra.evidence.log-verification.v1'),
    origin: z.string(),
    verified_at: z.string(),
    trusted_key_ids: z.array(z.string()),
    trusted_checkpoint: z.object({ tree_size: z.number().int(), root_hash: z.string() }).nullable().openapi({
      description: 'The newest checkpoint this server process signed, used to detect a rolled-back log',
    }),
    valid: z.boolean(),
    errors: z.array(IssueSchema),
    warnings: z.array(IssueSchema),
    checked: z.record(z.string(), z.number()),
  })
  .openapi('EvidenceVerification');

/** `cavra.evidence.trust-root.v1`. */
export const TrustRootSchema = z
  .object({
    schema_version: z.literal('cavra.evidence.trust-root.v1'),
    product: z.literal('CAVRA'),
    key_id: z.string(),
    owner: z.string(),
    status: z.enum(['active', 'retired', 'revoked']),
    algorithm: z.literal('Ed25519'),
    public_key_sha256: z.string(),
    public_key_pem: z.string(),
    valid_from: z.string(),
    valid_until: z.string().nullable(),
  })
  .openapi('TrustRoot');
