import type { CompiledPack } from '../policy/compile';
import type { MatchedRule } from '../types';
import { APPROVER, single, type Verdict } from '../verdict';

/**
 * Branch names a ref may denote. `refs/heads/` and `refs/remotes/<remote>/` are stripped; when what is left
 * still contains a `/`, it may be `<remote>/<branch>`, so both it and the part after the first `/` are
 * candidates. Branches are compared by name, never by string suffix (`origin/domain` is not `main`).
 */
export function branchCandidates(ref: string): string[] {
  let name = ref.trim();
  if (name.startsWith('refs/heads/')) return [name.slice('refs/heads/'.length)];
  if (name.startsWith('refs/remotes/')) {
    name = name.slice('refs/remotes/'.length);
    const slash = name.indexOf('/');
    return slash === -1 ? [name] : [name.slice(slash + 1)];
  }
  const slash = name.indexOf('/');
  return slash === -1 ? [name] : [name, name.slice(slash + 1)];
}

/**
 * One destination of a push: a branch name, or null when it cannot be told from the text. `remoteKnown` is true
 * for refspecs of a `git push <remote> <refspec>` command, whose destination is a branch name on that remote
 * (so `release/main` is the branch `release/main`, not remote `release` branch `main`).
 */
export type PushDestination = { ref: string | null; force: boolean; text: string; remoteKnown?: boolean };

/** Refs that name no branch statically (`HEAD`, `@`, `origin/HEAD`). */
function isSymbolic(branch: string): boolean {
  return branch === 'HEAD' || branch === '@' || branch.startsWith('@{');
}

/** Branch candidates of a destination, or null when it resolves to a symbolic ref. */
function destinationBranches(destination: PushDestination & { ref: string }): string[] | null {
  const ref = destination.ref;
  const candidates =
    destination.remoteKnown === true
      ? [ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref]
      : branchCandidates(ref);
  return candidates.some(isSymbolic) ? null : candidates;
}

export function protectedPushRule(branch: string, pattern: string, text: string): MatchedRule {
  return {
    rule_id: 'git.protected_branch.block_direct_push',
    decision: 'block',
    severity: 'high',
    pattern,
    reason: 'Direct push to protected branch is prohibited.',
    segment: text,
    path: branch,
  };
}

/**
 * Judges push destinations against the pack's git settings. Returns the rules that fired (strictest first),
 * or an empty list when the push is fine by the git guard.
 */
export function judgePush(
  pack: CompiledPack,
  destinations: readonly PushDestination[],
  text: string,
): MatchedRule[] {
  const rules: MatchedRule[] = [];
  for (const destination of destinations) {
    const branches =
      destination.ref === null ? null : destinationBranches({ ...destination, ref: destination.ref });
    if (branches === null) {
      rules.push({
        rule_id: 'git.push.unknown_destination',
        decision: 'require_approval',
        severity: 'medium',
        reason: 'The destination branch of this push cannot be told from the command; review required.',
        segment: text,
      });
      continue;
    }
    const hit = pack.git.blockProtectedPush
      ? branches
          .map((branch) => ({ branch, pattern: pack.git.isProtected(branch) }))
          .find((candidate) => candidate.pattern !== undefined)
      : undefined;
    if (hit?.pattern !== undefined)
      rules.push({ ...protectedPushRule(hit.branch, hit.pattern, text), pack: pack.id });
    if (destination.force && pack.git.blockForcePush) {
      rules.push({
        rule_id: 'git.force_push.block',
        decision: 'block',
        severity: 'high',
        pattern: 'block_force_push',
        pack: pack.id,
        reason: 'Force push is prohibited by policy (git.block_force_push).',
        segment: text,
      });
    }
  }
  return rules.sort((a, b) => rank(b) - rank(a));
}

function rank(rule: MatchedRule): number {
  return rule.decision === 'block' ? 2 : rule.decision === 'require_approval' ? 1 : 0;
}

/** Parses a refspec (`[+]src[:dst]`) into a destination. `HEAD` alone cannot be told statically. */
export function refspecDestination(refspec: string, forced: boolean): PushDestination {
  const force = forced || refspec.startsWith('+');
  const spec = refspec.startsWith('+') ? refspec.slice(1) : refspec;
  const colon = spec.indexOf(':');
  const destination = colon === -1 ? spec : spec.slice(colon + 1);
  const unknown = destination === '' ? colon === -1 : destination === 'HEAD' || destination.startsWith('@');
  return { ref: unknown ? null : destination, force, text: refspec };
}

/** The `git_operation` guard: `target` is the ref (`origin/main`, `HEAD:main`, `+main`), `operation` the verb. */
export function gitOperationGuard(pack: CompiledPack, operation: string, target: string): Verdict {
  // Verbs spelled as upstream clients do (`push`, `force_push`, `push --force`, `force-push`).
  const verb = operation.trim().toLowerCase();
  if (verb.includes('push')) {
    const force = verb.includes('force') || verb.includes('-f');
    const destination: PushDestination =
      target.trim() === '' ? { ref: null, force, text: target } : refspecDestination(target.trim(), force);
    const [rule, ...more] = judgePush(pack, [destination], `git ${verb} ${target}`.trim());
    if (rule !== undefined) {
      const verdict = single(rule, rule.decision === 'require_approval' ? APPROVER.repositoryOwners : null);
      verdict.matched_rules.push(...more);
      return verdict;
    }
  }
  return single({
    rule_id: 'git.allow',
    decision: 'allow',
    severity: 'low',
    reason: 'Git operation is allowed by policy.',
  });
}
