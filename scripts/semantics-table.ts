import { readFileSync, writeFileSync } from 'node:fs';

/** One documented difference between upstream CAVRA and CAVRA (fixtures/compat/semantics.json). */
export type SemanticsRow = {
  id: string;
  title: string;
  request: Record<string, string>;
  pack?: string;
  upstream: { decision: string; rule_id: string };
  ours: { decision: string; rule_id: string };
  why: string;
};

const BEGIN = '<!-- semantics-table:begin (generated from fixtures/compat/semantics.json) -->';
const END = '<!-- semantics-table:end -->';

function describe(request: Record<string, string>): string {
  const target = request['target'] === '' ? '(empty)' : (request['target'] ?? '');
  const pack = request['policy_pack'] === undefined ? '' : ` · ${request['policy_pack']}`;
  return `\`${request['action_type'] ?? ''}\` \`${target.replace(/\|/g, '\\|')}\`${pack}`;
}

/** The markdown table, between markers so the rest of the document stays hand-written. */
export function semanticsTable(rows: readonly SemanticsRow[]): string {
  const lines = rows.map(
    (row) =>
      `| <a id="${row.id}"></a>${row.title} | ${describe(row.request)} | ${row.upstream.decision} (\`${row.upstream.rule_id}\`) | ${row.ours.decision} (\`${row.ours.rule_id}\`) | ${row.why.replace(/\|/g, '\\|')} |`,
  );
  return [
    BEGIN,
    '| case | request | upstream | CAVRA | why |',
    '| --- | --- | --- | --- | --- |',
    ...lines,
    END,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const rows = JSON.parse(readFileSync('fixtures/compat/semantics.json', 'utf8')) as SemanticsRow[];
  const path = 'docs/policy-semantics.md';
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`${path} has no table markers`);
  writeFileSync(path, doc.slice(0, start) + semanticsTable(rows) + doc.slice(end + END.length));
  console.log(`${path}: ${rows.length} rows`);
}
