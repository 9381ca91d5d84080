/**
 * Synthetic policy packs for the engine benchmark, generated in memory from a fixed seed.
 *
 * A pack of N rules mixes every section a real pack uses (file reads, writes and approvals; command blocks,
 * allows and approvals; MCP allowed and blocked servers) in fixed proportions, with realistic pattern
 * shapes taken from the bundled packs (`**\/secrets.*`, `**\/*.pem`, `iam/**`, `terraform apply*` …).
 * About 6% of the rules are generic, wildcard-first patterns with no literal program, name or directory
 * to index on (`*--profile prod-7*`, `**\/*token-7*`), so an index cannot skip them.
 */

/** The pack sections rules are written to (keys as in the pack YAML). */
export type Section =
  | 'filesystem.block_read'
  | 'filesystem.block_write'
  | 'filesystem.require_approval_write'
  | 'commands.block'
  | 'commands.allow'
  | 'commands.require_approval'
  | 'mcp.allowed_servers'
  | 'mcp.blocked_servers';

export const SECTIONS: readonly Section[] = [
  'filesystem.block_read',
  'filesystem.block_write',
  'filesystem.require_approval_write',
  'commands.block',
  'commands.allow',
  'commands.require_approval',
  'mcp.allowed_servers',
  'mcp.blocked_servers',
];

/** One family of similar rules: `tool<n> deploy*` for many n. */
export type Category = {
  key: string;
  section: Section;
  /** Share of the pack, in percent (the weights add up to 100). */
  weight: number;
  /** Wildcard-first with no literal anchor: the shape an index cannot narrow down. */
  generic: boolean;
  pattern: (n: number) => string;
};

export const CATEGORIES: readonly Category[] = [
  {
    key: 'read.secret',
    section: 'filesystem.block_read',
    weight: 5,
    generic: false,
    pattern: (n) => `**/secret-${n}.*`,
  },
  {
    key: 'read.ext',
    section: 'filesystem.block_read',
    weight: 8,
    generic: false,
    pattern: (n) => `**/*.ext${n}`,
  },
  {
    key: 'read.credentials',
    section: 'filesystem.block_read',
    weight: 5,
    generic: false,
    pattern: (n) => `**/credentials-${n}.json`,
  },
  {
    key: 'read.token',
    section: 'filesystem.block_read',
    weight: 2,
    generic: true,
    pattern: (n) => `**/*token-${n}*`,
  },
  {
    key: 'write.service',
    section: 'filesystem.block_write',
    weight: 10,
    generic: false,
    pattern: (n) => `services/svc-${n}/**`,
  },
  {
    key: 'write.deploy',
    section: 'filesystem.block_write',
    weight: 5,
    generic: false,
    pattern: (n) => `**/deploy-${n}.tf`,
  },
  {
    key: 'approval.env',
    section: 'filesystem.require_approval_write',
    weight: 5,
    generic: false,
    pattern: (n) => `deploy/env-${n}/**`,
  },
  {
    key: 'approval.iam',
    section: 'filesystem.require_approval_write',
    weight: 5,
    generic: false,
    pattern: (n) => `iam/team-${n}/**`,
  },
  {
    key: 'block.tool',
    section: 'commands.block',
    weight: 10,
    generic: false,
    pattern: (n) => `tool${n} deploy*`,
  },
  {
    key: 'block.ctl',
    section: 'commands.block',
    weight: 8,
    generic: false,
    pattern: (n) => `svc${n}ctl delete*`,
  },
  {
    key: 'block.kubectl',
    section: 'commands.block',
    weight: 5,
    generic: false,
    pattern: (n) => `kubectl --context prod-${n}*`,
  },
  {
    key: 'block.profile',
    section: 'commands.block',
    weight: 2,
    generic: true,
    pattern: (n) => `*--profile prod-${n}*`,
  },
  {
    key: 'allow.tool',
    section: 'commands.allow',
    weight: 8,
    generic: false,
    pattern: (n) => `tool${n} status*`,
  },
  {
    key: 'allow.ctl',
    section: 'commands.allow',
    weight: 5,
    generic: false,
    pattern: (n) => `svc${n}ctl get*`,
  },
  {
    key: 'approval.tool',
    section: 'commands.require_approval',
    weight: 5,
    generic: false,
    pattern: (n) => `tool${n} rollback*`,
  },
  {
    key: 'approval.helm',
    section: 'commands.require_approval',
    weight: 4,
    generic: false,
    pattern: (n) => `helm upgrade release-${n}*`,
  },
  {
    key: 'approval.workspace',
    section: 'commands.require_approval',
    weight: 2,
    generic: true,
    pattern: (n) => `*workspace select ws-${n}*`,
  },
  {
    key: 'mcp.allowed',
    section: 'mcp.allowed_servers',
    weight: 4,
    generic: false,
    pattern: (n) => `mcp-server-${n}`,
  },
  {
    key: 'mcp.blocked',
    section: 'mcp.blocked_servers',
    weight: 2,
    generic: false,
    pattern: (n) => `untrusted-mcp-${n}`,
  },
];

/** A generated pack: its source text and, per category, the numbers its rules were made from. */
export type SyntheticPack = {
  id: string;
  size: number;
  /** YAML source, as a pack file would hold it. */
  source: string;
  /** Patterns per section, as written. */
  sections: ReadonlyMap<Section, readonly string[]>;
  /** For each category, the rule numbers present (e.g. `block.tool` → [17, 403, …]). */
  numbers: ReadonlyMap<string, readonly number[]>;
  /** Number of generic (wildcard-first, unanchored) rules. */
  genericRules: number;
};

/** Mulberry32: a small, fast, seedable PRNG (deterministic across platforms). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rules per category for a pack of `size` rules (largest remainder, so the counts add up to `size`). */
export function categoryCounts(size: number): Map<string, number> {
  const total = CATEGORIES.reduce((sum, category) => sum + category.weight, 0);
  const exact = CATEGORIES.map((category) => (size * category.weight) / total);
  const counts = exact.map(Math.floor);
  let left = size - counts.reduce((sum, count) => sum + count, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left -= 1;
  }
  return new Map(CATEGORIES.map((category, index) => [category.key, counts[index] ?? 0]));
}

/** `count` distinct numbers from [0, range), in random order. */
function distinctNumbers(count: number, range: number, random: () => number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(random() * range));
  return [...chosen];
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const item = items[index];
    items[index] = items[other] as T;
    items[other] = item as T;
  }
  return items;
}

/** Generates the pack of `size` rules for `seed`. The same inputs always give the same pack. */
export function syntheticPack(size: number, seed = 20_240_601): SyntheticPack {
  const random = seededRandom(seed + size);
  const counts = categoryCounts(size);
  const sections = new Map<Section, string[]>(SECTIONS.map((section) => [section, []]));
  const numbers = new Map<string, number[]>();
  let genericRules = 0;
  for (const category of CATEGORIES) {
    const count = counts.get(category.key) ?? 0;
    // Rule numbers are spread over a range wider than the pack, as ids in a real estate would be.
    const chosen = distinctNumbers(count, Math.max(100, size * 4), random);
    numbers.set(category.key, chosen);
    sections.get(category.section)?.push(...chosen.map(category.pattern));
    if (category.generic) genericRules += count;
  }
  for (const list of sections.values()) shuffle(list, random);
  const id = `synthetic-${size}`;
  return { id, size, source: toYaml(id, size, sections), sections, numbers, genericRules };
}

function toYaml(id: string, size: number, sections: ReadonlyMap<Section, readonly string[]>): string {
  const lines = [
    'metadata:',
    `  id: ${id}`,
    `  title: Synthetic benchmark pack (${size} rules)`,
    '  description: Generated in memory by bench/synthetic-packs.ts with a fixed seed.',
    '  version: 0.0.0',
  ];
  let current = '';
  for (const section of SECTIONS) {
    const [top = '', key = ''] = section.split('.');
    const patterns = sections.get(section) ?? [];
    if (patterns.length === 0) continue;
    if (top !== current) {
      lines.push(`${top}:`);
      current = top;
    }
    lines.push(`  ${key}:`);
    // JSON strings are valid YAML double-quoted scalars.
    for (const pattern of patterns) lines.push(`    - ${JSON.stringify(pattern)}`);
  }
  return `${lines.join('\n')}\n`;
}
