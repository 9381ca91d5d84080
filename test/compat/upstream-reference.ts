import { displayPath } from '../../src/engine/path';
import { upstreamRegex } from '../../src/engine/pattern';
import type { CompiledPack } from '../../src/engine';

/**
 * A literal re-statement of upstream's decision rules (reference §3.5), used only to check the "upstream"
 * column of docs/policy-semantics.md: string matching, no parsing, suffix-matched git refs.
 */
export function upstreamDecide(
  request: Record<string, string>,
  pack: CompiledPack,
): { decision: string; rule_id: string } {
  const list = (section: string, key: string): string[] => {
    const value = (pack.document[section] as Record<string, unknown> | undefined)?.[key];
    return Array.isArray(value) ? (value as string[]) : [];
  };
  const first = (patterns: string[], value: string) =>
    patterns.find((pattern) => upstreamRegex(pattern).test(value));
  const target = request['target'] ?? '';
  switch (request['action_type']) {
    case 'read_file':
    case 'write_file': {
      const mode = request['action_type'] === 'read_file' ? 'read' : 'write';
      const path = displayPath(target);
      if (first(list('filesystem', `block_${mode}`), path) !== undefined)
        return { decision: 'block', rule_id: `filesystem.${mode}.block` };
      if (mode === 'write' && first(list('filesystem', 'require_approval_write'), path) !== undefined) {
        return { decision: 'require_approval', rule_id: 'filesystem.write.require_approval' };
      }
      return { decision: 'allow', rule_id: `filesystem.${mode}.allow` };
    }
    case 'execute_command': {
      const command = target.trim();
      if (first(list('commands', 'block'), command) !== undefined)
        return { decision: 'block', rule_id: 'commands.block' };
      if (first(list('commands', 'allow'), command) !== undefined)
        return { decision: 'allow', rule_id: 'commands.allow' };
      return { decision: 'require_approval', rule_id: 'commands.default.require_approval' };
    }
    case 'git_operation': {
      const verb = request['operation'] ?? 'push';
      const blocked =
        verb === 'push' && target !== '' && (target.endsWith('main') || target.endsWith('master'));
      return blocked
        ? { decision: 'block', rule_id: 'git.protected_branch.block_direct_push' }
        : { decision: 'allow', rule_id: 'git.allow' };
    }
    default:
      throw new Error(`upstream reference does not model ${String(request['action_type'])}`);
  }
}
