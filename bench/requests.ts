import type { DecisionRequest } from '../src/engine';
import { CATEGORIES, seededRandom, type SyntheticPack } from './synthetic-packs';

/** What a request stands for in the tables. */
export type RequestKind = 'command' | 'compound command' | 'file' | 'git' | 'mcp';

/** One benchmark request and, for requests aimed at a synthetic rule, the pattern it should meet. */
export type BenchRequest = {
  label: string;
  kind: RequestKind;
  request: DecisionRequest;
  /** The synthetic rule this request is built to meet (undefined for the everyday requests). */
  aims?: { category: string; pattern: string; present: boolean };
};

/** A number that no generated rule uses (generated numbers stay below 4 × size ≤ 40,000). */
export const MISSING_NUMBER = 987_654;

const WORKSPACE = '/work/repo';

const command = (target: string): DecisionRequest => ({ action_type: 'execute_command', target });
const read = (target: string): DecisionRequest => ({ action_type: 'read_file', target });
const write = (target: string): DecisionRequest => ({ action_type: 'write_file', target });
const mcp = (server: string, tool: string): DecisionRequest => ({
  action_type: 'mcp_tool_call',
  server,
  tool,
  capability: 'tools/call',
});

/** The everyday requests of a coding agent, the same for every pack. */
export const EVERYDAY_REQUESTS: readonly BenchRequest[] = [
  { label: 'npm test', kind: 'command', request: command('npm test') },
  {
    label: 'cd app && npm ci && terraform plan … | tee plan.log',
    kind: 'compound command',
    request: command('cd app && npm ci && terraform plan -out tf.plan | tee plan.log'),
  },
  {
    label: 'sudo -E bash -c "terraform apply -auto-approve"',
    kind: 'compound command',
    request: command('sudo -E bash -c "terraform apply -auto-approve"'),
  },
  { label: 'git push origin HEAD:main', kind: 'command', request: command('git push origin HEAD:main') },
  {
    label: 'git_operation push feature/login',
    kind: 'git',
    request: { action_type: 'git_operation', operation: 'push', target: 'feature/login' },
  },
  { label: 'read config/.env', kind: 'file', request: read('config/.env') },
  { label: 'write src/app/main.ts', kind: 'file', request: write('src/app/main.ts') },
  {
    label: 'write /work/repo/.github/workflows/ci.yml',
    kind: 'file',
    request: { ...write(`${WORKSPACE}/.github/workflows/ci.yml`), cwd: WORKSPACE },
  },
  { label: 'mcp github:create_issue', kind: 'mcp', request: mcp('github', 'create_issue') },
];

type Template = {
  kind: RequestKind;
  category: string;
  /** Builds the request for rule number n (and a second number m for the path around it). */
  build: (n: number, m: number) => { label: string; request: DecisionRequest };
};

/** Requests aimed at one synthetic rule each; the rule number is picked from the pack. */
const TEMPLATES: readonly Template[] = [
  {
    kind: 'command',
    category: 'block.tool',
    build: (n) => ({ label: `tool${n} deploy --env prod`, request: command(`tool${n} deploy --env prod`) }),
  },
  {
    kind: 'compound command',
    category: 'allow.ctl',
    build: (n) => ({
      label: `cd deploy && svc${n}ctl get pods -o wide`,
      request: command(`cd deploy && svc${n}ctl get pods -o wide`),
    }),
  },
  {
    kind: 'command',
    category: 'block.kubectl',
    build: (n) => ({
      label: `kubectl --context prod-${n} get pods`,
      request: command(`kubectl --context prod-${n} get pods -n web`),
    }),
  },
  {
    kind: 'command',
    category: 'block.profile',
    build: (n) => ({
      label: `aws s3 rm … --profile prod-${n} (generic rule)`,
      request: command(`aws s3 rm s3://bucket/logs --recursive --profile prod-${n}`),
    }),
  },
  {
    kind: 'compound command',
    category: 'approval.helm',
    build: (n) => ({
      label: `helm upgrade release-${n} ./chart && kubectl rollout status`,
      request: command(`helm upgrade release-${n} ./chart --install && kubectl rollout status deploy/web`),
    }),
  },
  {
    kind: 'compound command',
    category: 'read.credentials',
    build: (n, m) => ({
      label: `cat services/svc-${m}/credentials-${n}.json | jq .`,
      request: command(`cat services/svc-${m}/credentials-${n}.json | jq .token`),
    }),
  },
  {
    kind: 'file',
    category: 'read.secret',
    build: (n, m) => ({
      label: `read services/svc-${m}/config/secret-${n}.yaml`,
      request: read(`services/svc-${m}/config/secret-${n}.yaml`),
    }),
  },
  {
    kind: 'file',
    category: 'read.ext',
    build: (n) => ({ label: `read data/export.ext${n}`, request: read(`data/export.ext${n}`) }),
  },
  {
    kind: 'file',
    category: 'write.service',
    build: (n) => ({
      label: `write ./services/svc-${n}/src/index.ts`,
      request: write(`./services/svc-${n}/src/index.ts`),
    }),
  },
  {
    kind: 'file',
    category: 'approval.iam',
    build: (n) => ({ label: `write iam/team-${n}/role.tf`, request: write(`iam/team-${n}/role.tf`) }),
  },
  {
    kind: 'mcp',
    category: 'mcp.allowed',
    build: (n) => ({ label: `mcp mcp-server-${n}:search`, request: mcp(`mcp-server-${n}`, 'search') }),
  },
  {
    kind: 'mcp',
    category: 'mcp.blocked',
    build: (n) => ({
      label: `mcp untrusted-mcp-${n}:read_file`,
      request: mcp(`untrusted-mcp-${n}`, 'read_file'),
    }),
  },
];

/**
 * The requests run against a synthetic pack: the everyday ones plus one per template, each aimed at a rule
 * the pack really has (picked with a fixed seed). When a small pack has no rule of a template's category,
 * the request uses a number no rule has, so it is a miss, and `aims.present` says so.
 */
export function requestsFor(pack: SyntheticPack | undefined, seed = 7): BenchRequest[] {
  const random = seededRandom(seed + (pack?.size ?? 0));
  const pick = (category: string): number | undefined => {
    const numbers = pack?.numbers.get(category) ?? [];
    return numbers.length === 0 ? undefined : numbers[Math.floor(random() * numbers.length)];
  };
  const aimed = TEMPLATES.map((template): BenchRequest => {
    const category = CATEGORIES.find((c) => c.key === template.category);
    if (category === undefined) throw new Error(`unknown category ${template.category}`);
    const picked = pick(template.category);
    const n = picked ?? MISSING_NUMBER;
    const m = Math.floor(random() * 50_000);
    const built = template.build(n, m);
    return {
      ...built,
      kind: template.kind,
      aims: { category: template.category, pattern: category.pattern(n), present: picked !== undefined },
    };
  });
  return [...EVERYDAY_REQUESTS, ...aimed];
}
