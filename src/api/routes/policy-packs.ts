/**
 * Policy packs the server decides with (upstream §5.1): the installed list, one pack compiled, and the
 * catalog (`cavra.policy_pack.catalog.v1`). Drafting and publishing packs come with approvals.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { CompiledPack, JsonValue, PolicySet } from '../../engine';
import { errorResponse } from '../errors';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import { errorResponses, jsonResponse, listOf, pathParam } from '../schemas/common';

const PackSummarySchema = z
  .object({
    id: z.string().openapi({ example: 'cavra-ai-agent-baseline' }),
    title: z.string(),
    description: z.string(),
    version: z.string(),
    inherits: z.array(z.string()).openapi({ description: 'Parents, nearest first' }),
    revision: z.string().openapi({ description: '`sha256:` of the compiled pack (decisions carry it)' }),
    is_default: z.boolean(),
    rules: z.object({ files: z.number().int(), commands: z.number().int(), mcp: z.number().int() }),
    tests: z.number().int().openapi({ description: 'Inline tests (`cavra policy test`)' }),
  })
  .openapi('PolicyPack');

const PackDetailSchema = PackSummarySchema.extend({
  document: z.record(z.string(), z.unknown()).openapi({
    type: 'object',
    description: 'The pack merged with its parents and normalised (`cavra policy compile`)',
  }),
}).openapi('PolicyPackDetail');

const CATALOG_SECTIONS = [
  'filesystem',
  'commands',
  'git',
  'mcp',
  'approvals',
  'evidence',
  'compliance',
] as const;

const CatalogSchema = z
  .object({
    schema_version: z.literal('cavra.policy_pack.catalog.v1'),
    total: z.number().int(),
    items: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        description: z.string(),
        version: z.string(),
        summary: z.object({
          rule_counts: z.record(z.enum(CATALOG_SECTIONS), z.number().int()).openapi({
            description: 'Entries per section of the compiled pack',
          }),
        }),
      }),
    ),
  })
  .openapi('PolicyPackCatalog');

const PackList = listOf(PackSummarySchema).openapi('PolicyPackList');

const listPacks = createRoute({
  method: 'get',
  path: '/policy-packs',
  tags: ['policy packs'],
  summary: 'The packs this server decides with',
  responses: { 200: jsonResponse(PackList, 'Packs, by id') },
});

const listPacksAlias = createRoute({
  ...listPacks,
  path: '/policies',
  summary: 'Alias of GET /policy-packs (upstream)',
  deprecated: true,
});

const getPack = createRoute({
  method: 'get',
  path: '/policy-packs/{pack_id}',
  tags: ['policy packs'],
  summary: 'One pack, compiled',
  request: { params: pathParam('pack_id', 'cavra-ai-agent-baseline') },
  responses: { 200: jsonResponse(PackDetailSchema, 'The pack'), ...errorResponses(404) },
});

const catalog = createRoute({
  method: 'get',
  path: '/policy-pack-catalog',
  tags: ['policy packs'],
  summary: 'The pack catalog (upstream `cavra.policy_pack.catalog.v1`)',
  responses: { 200: jsonResponse(CatalogSchema, 'The catalog') },
});

/** The policy-packs sub-app. */
export function policyPackRoutes({ deps }: ApiContext) {
  const { policies } = deps;
  const list = () => {
    const items = sortedPacks(policies).map((pack) => summarize(pack, policies));
    return { items, total: items.length };
  };
  return createRouter()
    .openapi(listPacks, (c) => c.json(list(), 200))
    .openapi(listPacksAlias, (c) => c.json(list(), 200))
    .openapi(getPack, (c) => {
      const { pack_id: id } = c.req.valid('param');
      const pack = policies.packs.get(id);
      if (pack === undefined) {
        const choices = [...policies.packs.keys()].sort();
        return errorResponse(c, 404, 'unknown_policy_pack', `unknown policy pack '${id}'`, { choices });
      }
      return c.json({ ...summarize(pack, policies), document: pack.document }, 200);
    })
    .openapi(catalog, (c) => {
      const items = sortedPacks(policies).map((pack) => ({
        id: pack.id,
        title: pack.title,
        description: pack.description,
        version: pack.version,
        summary: { rule_counts: ruleCounts(pack) },
      }));
      return c.json(
        { schema_version: 'cavra.policy_pack.catalog.v1' as const, total: items.length, items },
        200,
      );
    });
}

function sortedPacks(policies: PolicySet): CompiledPack[] {
  return [...policies.packs.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function summarize(pack: CompiledPack, policies: PolicySet) {
  const { filesystem: fs, commands: cmd, mcp } = pack;
  return {
    id: pack.id,
    title: pack.title,
    description: pack.description,
    version: pack.version,
    inherits: pack.inherits,
    revision: pack.revision,
    is_default: pack.id === policies.defaultPack,
    rules: {
      files: fs.blockRead.patterns.length + fs.blockWrite.patterns.length + fs.approvalWrite.patterns.length,
      commands: cmd.block.patterns.length + cmd.allow.patterns.length + cmd.approval.patterns.length,
      mcp: mcp.allowed.length + mcp.blocked.length,
    },
    tests: pack.tests.length,
  };
}

/** Entries per catalog section: list items, counted through nested objects; a scalar setting counts once. */
function ruleCounts(pack: CompiledPack): Record<(typeof CATALOG_SECTIONS)[number], number> {
  const count = (value: JsonValue | undefined): number => {
    if (value === undefined || value === null) return 0;
    if (Array.isArray(value)) return value.length;
    if (typeof value === 'object') return Object.values(value).reduce<number>((sum, v) => sum + count(v), 0);
    return 1;
  };
  const entries = CATALOG_SECTIONS.map((section) => [section, count(pack.document[section])] as const);
  return Object.fromEntries(entries) as Record<(typeof CATALOG_SECTIONS)[number], number>;
}
