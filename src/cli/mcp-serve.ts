/**
 * `cavra mcp serve`: the decision tools over MCP stdio. Policies are loaded once at start; with `--record`,
 * the store is opened once and every decision is appended to its evidence log.
 */
import { randomBytes } from 'node:crypto';
import {
  buildPolicySet,
  decide,
  parsePack,
  POLICY_MODES,
  type CompiledPack,
  type JsonObject,
} from '../engine';
import { createCheckServer, storeEvidence, type EvidenceSink, type PackCatalog } from '../integrations/mcp';
import packageJson from '../../package.json';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath, loadPolicies } from './context';
import { renderDecision, renderExplanation } from './decision-view';
import { setupEngine, unknownPackMessage, type EngineSetup } from './engine-setup';
import { EXIT, usageError, type CliIo } from './io';
import { policyDirs, readPackSources } from './load-policies';
import { serveStdio } from './mcp';
import { isOneOf, isRecord } from './registry';

const SERVE_OPTIONS = {
  ...HELP_OPTION,
  policy: { type: 'string' },
  pack: { type: 'string', short: 'p' },
  mode: { type: 'string', short: 'm' },
  registry: { type: 'string' },
  cwd: { type: 'string' },
  record: { type: 'boolean' },
  db: { type: 'string' },
  'session-id': { type: 'string' },
  'agent-id': { type: 'string' },
} as const;

export async function runMcpServe(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, SERVE_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'mcp serve');
  const { values, positionals } = parsed;
  if (positionals.length > 0)
    return usageError(io, `unexpected argument '${positionals[0] ?? ''}'`, 'mcp serve');
  if (values.db !== undefined && values.record !== true) {
    return usageError(io, `option '--db' says where --record writes: add --record`, 'mcp serve');
  }
  const mode = values.mode;
  if (mode !== undefined && !isOneOf(POLICY_MODES, mode)) {
    return usageError(io, `unknown mode '${mode}': use one of ${POLICY_MODES.join(', ')}`, 'mcp serve');
  }
  const defaultPack = values.pack;
  // The default pack's chain is loaded at start, so the first check is as quick as `cavra evaluate`; every
  // other pack once a call names one or policy_list/policy_describe needs them all.
  const setup = setupEngine(io, values, [defaultPack]);
  if (!setup.ok) return usageError(io, setup.message);
  let current = setup.value;
  let isComplete = false;
  const complete = (): EngineSetup => {
    if (!isComplete) {
      isComplete = true;
      const all = setupEngine(io, values, loadPolicies(io, []).ids);
      if (all.ok) current = all.value;
    }
    return current;
  };
  if (defaultPack !== undefined && !setup.value.set.packs.has(defaultPack)) {
    return usageError(
      io,
      unknownPackMessage(defaultPack, setup.value.loaded, [...setup.value.set.packs.keys()]),
    );
  }
  let evidence: EvidenceSink | undefined;
  let closeStore = (): Promise<void> => Promise.resolve();
  if (values.record === true) {
    const { openEvidenceStore } = await import('./evidence-store');
    const opened = await openEvidenceStore(io, values.db, { mustExist: false });
    if (!opened.ok) return usageError(io, opened.message);
    evidence = storeEvidence(opened.value.store, opened.value.label, () => new Date());
    closeStore = () => opened.value.store.close();
  }
  const server = createCheckServer({
    decide: (request, registry) => {
      const packId = request.policy_pack ?? defaultPack;
      const { set, options } = packId === undefined || current.set.packs.has(packId) ? current : complete();
      return decide(
        { ...request, policy_pack: packId ?? set.defaultPack },
        set,
        registry === undefined ? options : { ...options, registry },
      );
    },
    render: {
      summary: (decision) => renderDecision(decision, { color: false }),
      explanation: (decision) => renderExplanation(decision, { color: false }),
    },
    packs: packCatalog(io, complete),
    ...(evidence !== undefined && { evidence }),
    ...(mode !== undefined && { mode }),
    ...(values['session-id'] !== undefined && { sessionId: values['session-id'] }),
    ...(values['agent-id'] !== undefined && { agentId: values['agent-id'] }),
    randomHex12: () => randomBytes(6).toString('hex'),
    version: packageJson.version,
  });
  io.stderr(
    `cavra mcp serve: default pack ${defaultPack ?? current.set.defaultPack}` +
      `${evidence === undefined ? '' : `, recording to ${evidence.label}`}; waiting for an MCP client on stdio\n`,
  );
  await serveStdio(server, closeStore);
  return EXIT.ok;
}

/** Pack summaries and descriptions in the shapes of `cavra policy list --json` / `describe --json`. */
function packCatalog(io: CliIo, engine: () => EngineSetup): PackCatalog {
  const file = (id: string): string | null => {
    const path = engine().loaded.files.get(id);
    return path === undefined ? null : displayPath(io, path);
  };
  return {
    list: () => {
      const { set } = engine();
      return [...set.packs.values()]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((pack) => ({
          id: pack.id,
          title: pack.title,
          version: pack.version,
          description: pack.description,
          inherits: pack.inherits,
          revision: pack.revision,
          file: file(pack.id),
          rules: ruleCounts(pack),
          tests: pack.tests.length,
          is_default: pack.id === set.defaultPack,
        }));
    },
    describe: (id) => {
      const { set, loaded } = engine();
      const pack = set.packs.get(id);
      if (pack === undefined) {
        return { ok: false, message: unknownPackMessage(id, loaded, [...set.packs.keys()]) };
      }
      return {
        ok: true,
        value: {
          id: pack.id,
          title: pack.title,
          description: pack.description,
          version: pack.version,
          revision: pack.revision,
          file: file(pack.id),
          inherits: pack.inherits,
          tests: pack.tests.length,
          rules: ruleCounts(pack),
          document: pack.document,
        },
      };
    },
    validate: (source, fileName) => validateSource(io, source, fileName),
  };
}

function ruleCounts(pack: CompiledPack): JsonObject {
  const { filesystem: fs, commands: cmd, mcp } = pack;
  return {
    files: fs.blockRead.patterns.length + fs.blockWrite.patterns.length + fs.approvalWrite.patterns.length,
    commands: cmd.block.patterns.length + cmd.allow.patterns.length + cmd.approval.patterns.length,
    mcp: mcp.allowed.length + mcp.blocked.length,
  };
}

/** Validates one pack document with the packs on disk as its possible parents (as `cavra policy validate`). */
function validateSource(io: CliIo, source: string, fileName: string): JsonObject {
  const metadata = parsePack(source, fileName).document?.['metadata'];
  const declared = isRecord(metadata) ? metadata['id'] : undefined;
  const id = typeof declared === 'string' && declared !== '' ? declared : fileName.replace(/\.[^.]+$/, '');
  const context = readPackSources(policyDirs(io.env, io.cwd)).filter((pack) => pack.id !== id);
  const set = buildPolicySet([...context, { id, file: fileName, source }]);
  const diagnostics = set.diagnostics
    .filter((d) => d.file === fileName)
    .map((d) => ({ severity: d.severity, line: d.line, column: d.column, path: d.path, message: d.message }));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { id, valid: errors === 0 && set.packs.has(id), errors, diagnostics };
}
