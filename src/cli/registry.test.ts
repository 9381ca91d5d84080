import { expect, test } from 'vitest';
import { loadRegistry } from './registry';
import { REPO_ROOT, tempFile } from './test-support';

const io = {
  stdout: () => undefined,
  stderr: () => undefined,
  stdin: () => Promise.resolve(''),
  env: {},
  cwd: REPO_ROOT,
};

test('loads upstream registry.json records', () => {
  const file = tempFile('registry.json', {
    mcp_servers: [
      {
        server_id: 'github-mcp',
        name: 'github-mcp',
        trust_tier: 'approved',
        approval_state: 'approved',
        capabilities: ['repository'],
        allowed_tools: ['create_pull_request'],
      },
    ],
  });
  expect(loadRegistry(io, file)).toEqual({
    ok: true,
    value: {
      mcp_servers: [
        {
          server_id: 'github-mcp',
          name: 'github-mcp',
          trust_tier: 'approved',
          approval_state: 'approved',
          capabilities: ['repository'],
          allowed_tools: ['create_pull_request'],
        },
      ],
    },
  });
});

test('names the record and field that is wrong', () => {
  const file = tempFile('registry.json', {
    mcp_servers: [
      { server_id: 'a', trust_tier: 'trusted' },
      { server_id: 'b', trust_tier: 'friendly' },
    ],
  });
  expect(loadRegistry(io, file)).toEqual({
    ok: false,
    message: `registry file '${file}': mcp_servers[1] "trust_tier" must be one of trusted, approved, experimental, blocked, unknown`,
  });
  const shape = tempFile('registry.json', { servers: [] });
  expect(loadRegistry(io, shape)).toMatchObject({
    message: `registry file '${shape}' must be an object with an "mcp_servers" array`,
  });
  const broken = tempFile('registry.json', '{');
  expect(loadRegistry(io, broken)).toMatchObject({ ok: false });
});
