import { normalizePath } from '../path';
import type { CompiledPack } from '../policy/compile';
import type { SourcedPattern } from '../path-rules';
import type { MatchedRule } from '../types';
import { APPROVER, single, type Verdict } from '../verdict';

export type FileAccess = 'read' | 'write';

/** Where paths are resolved from. */
export type PathScope = { workspaceRoot: string | undefined; homeDir: string | undefined };

/** The forms of a path that patterns are tried against: normalised-relative, and absolute when it was. */
export function pathForms(target: string, scope: PathScope): string[] {
  const normalized = normalizePath(target, scope.workspaceRoot, scope.homeDir);
  const absolute = normalizePath(target, undefined, scope.homeDir);
  return absolute === normalized ? [normalized] : [normalized, absolute];
}

/** Builds the rule for a path that met a pattern (or no pattern). */
export function fileRule(
  access: FileAccess,
  kind: 'block' | 'require_approval' | 'allow',
  path: string,
  match?: SourcedPattern,
): MatchedRule {
  // Built field by field (no spreads): this runs for every path a command touches.
  const rule: MatchedRule =
    kind === 'allow'
      ? {
          rule_id: access === 'read' ? 'filesystem.read.allow' : 'filesystem.write.allow',
          decision: 'allow',
          severity: 'low',
          reason: 'No sensitive path policy matched.',
        }
      : kind === 'block'
        ? {
            rule_id: access === 'read' ? 'filesystem.read.block' : 'filesystem.write.block',
            decision: 'block',
            severity: 'high',
            reason: `Matched sensitive path policy: ${match?.pattern ?? ''}`,
          }
        : {
            rule_id: 'filesystem.write.require_approval',
            decision: 'require_approval',
            severity: 'high',
            reason: `Matched approval-required path policy: ${match?.pattern ?? ''}`,
          };
  if (match !== undefined) {
    rule.pattern = match.pattern;
    rule.pack = match.pack;
  }
  rule.path = path;
  rule.access = access;
  return rule;
}

/**
 * Judges one file access: block list first, then (writes) the approval list, else allow.
 * `recursiveDirectory` marks a directory operand of a recursive delete or copy (see PathRuleList).
 */
export function judgePath(
  pack: CompiledPack,
  access: FileAccess,
  forms: string[],
  recursiveDirectory = false,
): MatchedRule {
  const path = forms[0] ?? '';
  const find = (list: CompiledPack['filesystem']['blockRead']): SourcedPattern | undefined =>
    recursiveDirectory ? list.firstCoveringDirectory(path) : list.firstMatch(forms);
  const blockList = access === 'read' ? pack.filesystem.blockRead : pack.filesystem.blockWrite;
  const blocked = find(blockList);
  if (blocked !== undefined) return fileRule(access, 'block', path, blocked);
  if (access === 'write') {
    const approval = find(pack.filesystem.approvalWrite);
    if (approval !== undefined) return fileRule(access, 'require_approval', path, approval);
  }
  return fileRule(access, 'allow', path);
}

/** The `read_file` / `write_file` guard. */
export function fileGuard(pack: CompiledPack, access: FileAccess, target: string, scope: PathScope): Verdict {
  const rule = judgePath(pack, access, pathForms(target, scope));
  return single(rule, rule.decision === 'require_approval' ? APPROVER.platformSecurity : null);
}
