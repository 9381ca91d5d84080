/**
 * `cavra mcp gateway --config gateway.json`: reads and checks the configuration, loads the policy and the trust
 * registry, opens the evidence store, picks where approvals go, starts the downstream servers and serves.
 */
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { decide, type McpRegistry, type McpServerRecord } from '../engine';
import {
  apiApprovals,
  McpGateway,
  parseGatewayConfig,
  storeApprovals,
  storeEvidence,
  type ApprovalBroker,
  type GatewayConfig,
} from '../integrations/mcp';
import type { Store } from '../store';
import packageJson from '../../package.json';
import { HELP_OPTION, parseCommandArgs } from './args';
import { parseJsonText, readTextFile, type Outcome } from './context';
import { setupEngine, unknownPackMessage } from './engine-setup';
import { openEvidenceStore } from './evidence-store';
import { EXIT, usageError, type CliIo } from './io';
import { serveStdio } from './mcp';
import { loadRegistry } from './registry';

const GATEWAY_OPTIONS = {
  ...HELP_OPTION,
  config: { type: 'string', short: 'c' },
  db: { type: 'string' },
} as const;

export async function runMcpGateway(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, GATEWAY_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'mcp gateway');
  const { values, positionals } = parsed;
  if (positionals.length > 0)
    return usageError(io, `unexpected argument '${positionals[0] ?? ''}'`, 'mcp gateway');
  if (values.config === undefined) {
    return usageError(
      io,
      'missing --config <gateway.json>: the downstream servers and policy to enforce',
      'mcp gateway',
    );
  }
  const loaded = readConfig(io, values.config);
  if (!loaded.ok) return usageError(io, loaded.message);
  const config = loaded.value;
  const setup = setupEngine(io, { policy: config.policy?.file }, [config.policy?.pack]);
  if (!setup.ok) return usageError(io, setup.message);
  const { set, options } = setup.value;
  const pack = config.policy?.pack;
  if (pack !== undefined && !set.packs.has(pack)) {
    return usageError(io, unknownPackMessage(pack, setup.value.loaded, [...set.packs.keys()]));
  }
  const fixedRegistry = registryOf(io, config);
  if (!fixedRegistry.ok) return usageError(io, fixedRegistry.message);

  const opened = await openEvidenceStore(io, values.db ?? config.evidence?.db, { mustExist: false });
  if (!opened.ok) return usageError(io, opened.message);
  const { store, label } = opened.value;
  const now = (): Date => new Date();
  const randomHex12 = (): string => randomBytes(6).toString('hex');
  const log = (line: string): void => {
    io.stderr(`cavra mcp gateway: ${line}\n`);
  };
  const approvals = approvalBroker(io, config, store, label, now, randomHex12);
  const gateway = new McpGateway({
    config,
    decide: (request, registry) =>
      decide(
        { ...request, policy_pack: request.policy_pack ?? pack ?? set.defaultPack },
        set,
        registry === undefined ? options : { ...options, registry },
      ),
    registry:
      config.registry?.store === true
        ? () => storeRegistry(store)
        : () => Promise.resolve(fixedRegistry.value),
    evidence: storeEvidence(store, label, now),
    approvals,
    log,
    now,
    randomHex12,
    version: packageJson.version,
  });
  await gateway.start();
  const tools = gateway.listTools().length;
  log(
    `${tools} tools from ${config.servers.length} servers; evidence to ${label}; approvals ${
      config.approvals?.mode ?? 'pending'
    } via ${approvals.label}; waiting for an MCP client on stdio`,
  );
  await serveStdio(gateway.server, async () => {
    await gateway.close();
    await store.close();
  });
  return EXIT.ok;
}

/** Reads, checks and resolves the configuration: relative paths are relative to the file's folder. */
function readConfig(io: CliIo, path: string): Outcome<GatewayConfig> {
  const text = readTextFile(io, path, 'gateway config');
  if (!text.ok) return text;
  const data = parseJsonText(text.value, `gateway config '${path}'`);
  if (!data.ok) return data;
  const checked = parseGatewayConfig(data.value);
  if (!checked.ok) {
    return { ok: false, message: `invalid gateway config '${path}':\n  ${checked.problems.join('\n  ')}` };
  }
  const base = dirname(resolve(io.cwd, path));
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const config = checked.value;
  const inline = config.servers.filter((server) => server.trust !== undefined).map((server) => server.name);
  if (config.registry !== undefined && inline.length > 0) {
    return {
      ok: false,
      message: `invalid gateway config '${path}': servers ${inline.join(', ')} carry "trust" while "registry" is set: keep trust in one place`,
    };
  }
  const servers = [];
  for (const server of config.servers) {
    const env = expandValues(io, server.env, `servers.${server.name}.env`);
    const headers = expandValues(io, server.headers, `servers.${server.name}.headers`);
    if (!env.ok) return { ok: false, message: `invalid gateway config '${path}': ${env.message}` };
    if (!headers.ok) return { ok: false, message: `invalid gateway config '${path}': ${headers.message}` };
    servers.push({
      ...server,
      cwd: at(server.cwd ?? '.'),
      ...(env.value !== undefined && { env: env.value }),
      ...(headers.value !== undefined && { headers: headers.value }),
    });
  }
  const db = config.evidence?.db;
  return {
    ok: true,
    value: {
      ...config,
      ...(config.policy?.file !== undefined && {
        policy: { ...config.policy, file: at(config.policy.file) },
      }),
      ...(config.registry?.file !== undefined && { registry: { file: at(config.registry.file) } }),
      ...(db !== undefined && { evidence: { db: /^postgres(ql)?:\/\//i.test(db) ? db : at(db) } }),
      servers,
    },
  };
}

/**
 * `${NAME}` in env and header values is replaced by the gateway's own environment variable, so secrets (tokens
 * for a downstream server) stay out of the file. An unset variable is an error, never an empty string.
 */
function expandValues(
  io: CliIo,
  values: Record<string, string> | undefined,
  where: string,
): Outcome<Record<string, string> | undefined> {
  if (values === undefined) return { ok: true, value: undefined };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    let missing: string | undefined;
    out[key] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = io.env[name];
      if (found === undefined) missing ??= name;
      return found ?? '';
    });
    if (missing !== undefined) {
      return { ok: false, message: `${where}.${key} uses \${${missing}}, which is not set: export it first` };
    }
  }
  return { ok: true, value: out };
}

/** The registry fixed at start: a registry file, the servers' inline trust, or none (the pack's lists). */
function registryOf(io: CliIo, config: GatewayConfig): Outcome<McpRegistry | undefined> {
  if (config.registry?.file !== undefined) return loadRegistry(io, config.registry.file);
  const inline: McpServerRecord[] = config.servers.flatMap((server) =>
    server.trust === undefined ? [] : [{ server_id: server.name, ...server.trust }],
  );
  return { ok: true, value: inline.length === 0 ? undefined : { mcp_servers: inline } };
}

/** The store's registry, read on every call so a server approved in the console counts at once. */
async function storeRegistry(store: Store): Promise<McpRegistry> {
  const { items } = await store.registry.mcpServers.list();
  return {
    mcp_servers: items.map((record) => ({
      server_id: record.server_id,
      name: record.name,
      trust_tier: record.trust_tier,
      approval_state: record.approval_state,
      capabilities: record.capabilities,
      allowed_tools: record.allowed_tools,
      ...(typeof record.owner === 'string' && { owner: record.owner }),
    })),
  };
}

/** Approvals through the API when one is configured ($CAVRA_API_URL), else in the local store. */
function approvalBroker(
  io: CliIo,
  config: GatewayConfig,
  store: Store,
  label: string,
  now: () => Date,
  randomHex12: () => string,
): ApprovalBroker {
  const url = config.approvals?.api_url ?? io.env['CAVRA_API_URL'];
  if (url === undefined || url === '') return storeApprovals(store, label, now, randomHex12);
  return apiApprovals({ url, token: io.env[config.approvals?.token_env ?? 'CAVRA_API_TOKEN'] });
}
