/**
 * The evidence log: status and entries, signed checkpoints (listed and on demand), a decision's inclusion
 * proof, whole-log verification, trust roots, and a session's bundle as a zip (docs/evidence-log.md,
 * docs/evidence-bundles.md).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { EXPORT_PROVIDERS } from '../../evidence/bundle';
import { clampPage } from '../../store';
import { errorResponse } from '../errors';
import { BEARER_SECURITY, failureResponse, requireCaller } from '../identity/caller';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  listOf,
  pageOf,
  PageQuery,
  pathParam,
} from '../schemas/common';
import {
  CheckpointSchema,
  EntryListQuery,
  InclusionProofsSchema,
  LogStatusSchema,
  TrustRootSchema,
  VerificationSchema,
} from '../schemas/evidence';

const CheckpointPage = pageOf(CheckpointSchema).openapi('CheckpointPage');

const getLog = createRoute({
  method: 'get',
  path: '/evidence',
  tags: ['evidence'],
  summary: "The evidence log's status and a page of its entries, newest first",
  request: { query: EntryListQuery },
  responses: { 200: jsonResponse(LogStatusSchema, 'Status and entries'), ...errorResponses(400) },
});

const listCheckpoints = createRoute({
  method: 'get',
  path: '/evidence/checkpoints',
  tags: ['evidence'],
  summary: "This log's signed checkpoints, largest tree first",
  request: { query: PageQuery },
  responses: { 200: jsonResponse(CheckpointPage, 'A page of checkpoints'), ...errorResponses(400) },
});

const postCheckpoint = createRoute({
  method: 'post',
  path: '/evidence/checkpoints',
  tags: ['evidence'],
  summary: 'Sign a checkpoint over the whole log now',
  description: 'Returns 200 with the latest checkpoint instead when it already covers every entry.',
  security: BEARER_SECURITY,
  responses: {
    201: jsonResponse(CheckpointSchema, 'A new checkpoint'),
    200: jsonResponse(CheckpointSchema, 'The latest checkpoint, which already covers the log'),
    ...errorResponses(400, 401, 403, 409, 500),
  },
});

const getProof = createRoute({
  method: 'get',
  path: '/evidence/proof/{decision_id}',
  tags: ['evidence'],
  summary: "A decision's inclusion proof against the latest signed checkpoint",
  description:
    "Signs a new checkpoint first when none covers the decision yet. The document has the format of a bundle's `inclusion-proofs.json`.",
  request: { params: pathParam('decision_id', 'dec_3cec71622d12') },
  responses: {
    200: jsonResponse(InclusionProofsSchema, 'The proof and the checkpoint it leads to'),
    ...errorResponses(404, 409, 500),
  },
});

const verify = createRoute({
  method: 'get',
  path: '/evidence/verify',
  tags: ['evidence'],
  summary: 'Verify the stored log: hashes, chain, Merkle roots and checkpoint signatures',
  description: '`valid` is false when any error was found; warnings say what could not be verified.',
  responses: { 200: jsonResponse(VerificationSchema, 'The verification report') },
});

const trustRoots = createRoute({
  method: 'get',
  path: '/evidence/trust-roots',
  tags: ['evidence'],
  summary: 'The trust roots this server verifies with (give them to auditors)',
  responses: { 200: jsonResponse(listOf(TrustRootSchema).openapi('TrustRootList'), 'Trust roots') },
});

const getBundle = createRoute({
  method: 'get',
  path: '/evidence/sessions/{session_id}/bundle',
  tags: ['evidence'],
  summary: "A session's signed evidence bundle with inclusion proofs, as a zip",
  description:
    'Upstream-compatible `cavra.evidence.bundle.v1` files with an Ed25519-signed manifest, plus `inclusion-proofs.json`. `x-cavra-artifact-sha256` is the hex SHA-256 of the archive.',
  request: { params: pathParam('session_id', 'sess_demo_001') },
  responses: {
    200: {
      description: 'The zip archive',
      content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses(404, 500),
  },
});

const sessionParam = pathParam('session_id', 'sess_demo_001');

const ExportSchema = z
  .object({
    schema_version: z.literal('cavra.evidence.export.v1'),
    session_id: z.string(),
    provider: z.enum(EXPORT_PROVIDERS),
    files: z.array(
      z.object({
        name: z.string().openapi({ example: 'splunk-hec.json' }),
        media_type: z.enum(['application/json', 'application/x-ndjson']),
        content: z.string().openapi({ description: 'The file as written by `cavra evidence export-siem`' }),
      }),
    ),
  })
  .openapi('EvidenceExport');

const getExport = createRoute({
  method: 'get',
  path: '/evidence/sessions/{session_id}/export',
  tags: ['evidence'],
  summary: "A session's SIEM export: Splunk HEC, Sentinel, Datadog, webhook (upstream), OCSF or JSONL",
  description:
    'Cut from the same signed bundle `…/bundle` serves, file for file what `cavra evidence export-siem --provider` writes.',
  request: {
    params: sessionParam,
    query: z.object({
      provider: z
        .enum(EXPORT_PROVIDERS)
        .default('all')
        .openapi({ description: '`all` = the four upstream SIEM payloads' }),
    }),
  },
  responses: { 200: jsonResponse(ExportSchema, 'The export files'), ...errorResponses(400, 404, 500) },
});

const getAttestation = createRoute({
  method: 'get',
  path: '/evidence/sessions/{session_id}/attestation',
  tags: ['evidence'],
  summary: "The session's PR attestation (upstream Markdown)",
  request: { params: sessionParam },
  responses: {
    200: { description: 'The Markdown', content: { 'text/markdown': { schema: z.string() } } },
    ...errorResponses(404),
  },
});

const AttestationVerificationSchema = z
  .object({
    schema_version: z.literal('cavra.pr-attestation.verification.v1'),
    session_id: z.string(),
    valid: z.boolean(),
    errors: z.array(z.string()),
    decision_count: z.number().int(),
    attestation_path: z.string(),
    missing_targets: z.array(z.string()),
    issues: z.array(z.looseObject({ code: z.string(), message: z.string(), file: z.string().optional() })),
  })
  .openapi('AttestationVerification');

const verifyAttestation = createRoute({
  method: 'post',
  path: '/evidence/sessions/{session_id}/attestation/verify',
  tags: ['evidence'],
  summary: "Check a PR attestation against the session's logged decisions",
  description:
    'Title, session line, summary counts, and one line per decision (action, target, outcome, rule); `missing_targets` names the decisions it leaves out.',
  request: {
    params: sessionParam,
    body: jsonBody(
      z.object({ markdown: z.string().max(1_000_000) }).openapi('AttestationInput'),
      'The attestation text, e.g. from the pull request description',
    ),
  },
  responses: {
    200: jsonResponse(AttestationVerificationSchema, 'The verification'),
    ...errorResponses(400, 404, 413, 415),
  },
});

/** The evidence sub-app. */
export function evidenceRoutes({ deps, evidence }: ApiContext) {
  const log = deps.store.evidence;
  return createRouter()
    .openapi(getLog, async (c) => {
      const { session_id: sessionId, ...pageRequest } = c.req.valid('query');
      const { limit, offset } = clampPage(pageRequest);
      const [head, latest] = await Promise.all([log.head(), evidence.latestCheckpoint()]);
      // Entries are a gap-free prefix, so the head gives the size in the same read.
      const size = head === null ? 0 : head.sequence + 1;
      let items;
      let total = size;
      if (sessionId === undefined) {
        const to = Math.max(0, size - offset);
        items = (await log.range(Math.max(0, to - limit), to)).reverse();
      } else {
        const matching = (await log.forSession(sessionId)).reverse();
        total = matching.length;
        items = matching.slice(offset, offset + limit);
      }
      return c.json(
        {
          schema_version: 'cavra.evidence.log-status.v1' as const,
          origin: evidence.origin,
          size,
          head,
          latest_checkpoint: latest,
          unsigned_entries: size - (latest?.tree_size ?? 0),
          signing_key: evidence.signingKey(),
          items,
          total,
          limit,
          offset,
        },
        200,
      );
    })
    .openapi(listCheckpoints, async (c) => c.json(await evidence.listCheckpoints(c.req.valid('query')), 200))
    .openapi(postCheckpoint, async (c) => {
      const caller = await requireCaller(deps.auth, c.req.raw, 'sign a checkpoint');
      if (!caller.ok) return failureResponse(c, caller);
      const { checkpoint, isNew } = await evidence.checkpoint();
      return isNew ? c.json(checkpoint, 201) : c.json(checkpoint, 200);
    })
    .openapi(getProof, async (c) => {
      const { decision_id: id } = c.req.valid('param');
      const proofs = await evidence.proof(id);
      if (proofs === null) return errorResponse(c, 404, 'decision_not_found', `decision '${id}' not found`);
      return c.json(proofs, 200);
    })
    .openapi(verify, async (c) => c.json(await evidence.verify(), 200))
    .openapi(trustRoots, (c) => {
      const roots = deps.evidence.trustRoots;
      return c.json({ items: [...roots], total: roots.length }, 200);
    })
    .openapi(getBundle, async (c) => {
      const { session_id: id } = c.req.valid('param');
      const archive = await evidence.sessionBundle(id);
      if (archive === null) {
        return errorResponse(
          c,
          404,
          'session_not_found',
          `no decisions of session '${id}' are in the evidence log`,
        );
      }
      return c.body(archive.bytes, 200, {
        'content-type': 'application/zip',
        'content-disposition': contentDisposition(archive.fileName),
        'x-cavra-artifact-sha256': archive.sha256,
      });
    })
    .openapi(getExport, async (c) => {
      const { session_id: id } = c.req.valid('param');
      const { provider } = c.req.valid('query');
      const files = await evidence.sessionExport(id, provider, deps.config.version);
      if (files === null) return noSession(c, id);
      return c.json(
        {
          schema_version: 'cavra.evidence.export.v1' as const,
          session_id: id,
          provider,
          files: files.map((file) => ({
            name: file.name,
            media_type: file.name.endsWith('.jsonl')
              ? ('application/x-ndjson' as const)
              : ('application/json' as const),
            content: file.text,
          })),
        },
        200,
      );
    })
    .openapi(getAttestation, async (c) => {
      const { session_id: id } = c.req.valid('param');
      const markdown = await evidence.attestation(id);
      if (markdown === null) return noSession(c, id);
      return c.body(markdown, 200, { 'content-type': 'text/markdown; charset=utf-8' });
    })
    .openapi(verifyAttestation, async (c) => {
      const { session_id: id } = c.req.valid('param');
      const report = await evidence.verifyAttestation(id, c.req.valid('json').markdown);
      if (report === null) return noSession(c, id);
      return c.json(report, 200);
    });
}

function noSession(c: Context, id: string) {
  return errorResponse(
    c,
    404,
    'session_not_found',
    `no decisions of session '${id}' are in the evidence log`,
  );
}

/** An attachment header whose plain `filename` is ASCII-safe and whose `filename*` keeps the real name. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\w.-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
