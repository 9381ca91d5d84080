import { afterEach, expect, test } from 'vitest';
import type { Store } from '../../store';
import { openTestApp } from '../../../test/api-support';
import type { ErrorBody } from '../errors';

const stores: Store[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function setup() {
  const opened = await openTestApp();
  stores.push(opened.store);
  return opened;
}

type PackSummary = { id: string; is_default: boolean; revision: string; rules: { files: number } };

test('GET /policy-packs lists every loaded pack by id; /policies is the upstream alias', async () => {
  const { app, deps } = await setup();
  const list = (await (await app.request('/api/policy-packs')).json()) as {
    items: PackSummary[];
    total: number;
  };
  expect(list.total).toBe(deps.policies.packs.size);
  const ids = list.items.map((p) => p.id);
  expect(ids).toEqual([...ids].sort());
  const baseline = list.items.find((p) => p.id === 'cavra-ai-agent-baseline');
  expect(baseline).toMatchObject({ is_default: true, revision: expect.stringMatching(/^sha256:/) as string });
  expect(baseline?.rules.files).toBeGreaterThan(0);
  expect(await (await app.request('/api/policies')).json()).toEqual(list);
});

test('GET /policy-packs/{id} has the compiled document; an unknown id is a 404 with the choices', async () => {
  const { app } = await setup();
  const pack = (await (await app.request('/api/policy-packs/cavra-terraform-prod')).json()) as {
    inherits: string[];
    document: { commands: { block: string[] } };
  };
  expect(pack.inherits).toEqual([]);
  const child = (await (
    await app.request('/api/policy-packs/cavra-agentic-delivery')
  ).json()) as PackSummary & {
    inherits: string[];
  };
  expect(child.inherits).toContain('cavra-ai-agent-baseline');
  expect(pack.document.commands.block).toContain('terraform apply*');
  const missing = await app.request('/api/policy-packs/nope');
  expect(missing.status).toBe(404);
  const body = (await missing.json()) as ErrorBody;
  expect(body.error.code).toBe('unknown_policy_pack');
  expect(body.error.choices).toContain('cavra-terraform-prod');
});

test('GET /policy-pack-catalog is upstream cavra.policy_pack.catalog.v1 with rule counts per section', async () => {
  const { app } = await setup();
  const catalog = (await (await app.request('/api/policy-pack-catalog')).json()) as {
    schema_version: string;
    total: number;
    items: { id: string; summary: { rule_counts: Record<string, number> } }[];
  };
  expect(catalog.schema_version).toBe('cavra.policy_pack.catalog.v1');
  expect(catalog.total).toBe(catalog.items.length);
  const baseline = catalog.items.find((item) => item.id === 'cavra-ai-agent-baseline');
  expect(Object.keys(baseline?.summary.rule_counts ?? {})).toEqual([
    'filesystem',
    'commands',
    'git',
    'mcp',
    'approvals',
    'evidence',
    'compliance',
  ]);
  expect(baseline?.summary.rule_counts['commands']).toBeGreaterThan(5);
});
