import { runPackTests, type PackTestResult } from '../engine';
import { HELP_OPTION, parseCommandArgs } from './args';
import { loadPolicies, systemContext } from './context';
import { paint } from './format';
import { POLICY_SUBCOMMAND_HELP } from './help';
import { EXIT, printLine, shouldColor, usageError, type CliIo } from './io';
import { pickPack } from './policy';

/**
 * `cavra policy test [<id>]`: runs the inline tests of one pack or of every visible pack (`runPackTests`),
 * printing PASS/FAIL per test and `N passed, N failed`. Exit 1 on any failure.
 */
export function runPolicyTest(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, HELP_OPTION);
  if (!parsed.ok) return usageError(io, parsed.message, 'policy test');
  if (parsed.values.help === true) {
    io.stdout(POLICY_SUBCOMMAND_HELP.test);
    return EXIT.ok;
  }
  const picked =
    parsed.positionals.length === 0 ? undefined : pickPack(io, parsed.positionals, 'policy test');
  if (typeof picked === 'number') return picked;
  const loaded = picked?.loaded ?? loadPolicies(io);
  const ids = picked === undefined ? loaded.ids : [picked.pack.id];
  const context = systemContext(io.cwd);
  const color = shouldColor(io);
  let passed = 0;
  let failed = 0;
  for (const id of ids) {
    if (!loaded.set.packs.has(id)) {
      // A pack that failed validation cannot run its tests: that is a failure, not a skip.
      printLine(
        io,
        `${id}\n  ${paint('FAIL', 'red', color)}  pack not loaded: run 'cavra policy validate ${loaded.files.get(id) ?? id}'`,
      );
      failed += 1;
      continue;
    }
    const results = runPackTests(loaded.set, id, context);
    printLine(io, `${id}${results.length === 0 ? ' (no tests)' : ''}`);
    for (const result of results) {
      printLine(io, describeResult(result, color));
      if (result.passed) passed += 1;
      else failed += 1;
    }
  }
  printLine(io, `\n${passed} passed, ${failed} failed`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

function describeResult(result: PackTestResult, color: boolean): string {
  const status = result.passed ? paint('PASS', 'green', color) : paint('FAIL', 'red', color);
  const details = result.failures.map((failure) => `\n        ${failure}`).join('');
  return `  ${status}  ${result.name}${details}`;
}
