/**
 * `cavra daemon start | status | stop | run | verify`: the enforcement daemon's lifecycle. `start` launches
 * `daemon run` detached and waits until its socket answers; `run` holds the packs in memory and serves the
 * socket until SIGTERM/SIGINT; `stop` signals the pid in the pid file and waits for it to go.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { decide } from '../engine';
import { askDaemon, DaemonUnavailable } from '../integrations/daemon/client';
import {
  DaemonEvidenceStream,
  verifyDaemonEvidence,
  type StreamKey,
} from '../integrations/daemon/evidence-stream';
import { DEFAULT_EVIDENCE_LOG, type DaemonStatus } from '../integrations/daemon/protocol';
import type { RunnerAuthConfig } from '../integrations/daemon/runner-auth';
import { startDaemonServer, type DaemonEngine } from '../integrations/daemon/server';
import { DAEMON_HELP } from './agent-help';
import { HELP_OPTION, parseCommandArgs, type OptionSpec, type ParsedArgs } from './args';
import { displayPath, type Outcome } from './context';
import { daemonSocketPath, readRunnerKey } from './daemon-client';
import { describeEngineError, setupEngine } from './engine-setup';
import { EXIT, printJson, usageError, type CliIo } from './io';
import { bundledPolicyDir } from './load-policies';
import { toDecisionRequest } from './requests';

const RUN_OPTIONS = {
  ...HELP_OPTION,
  socket: { type: 'string' },
  'pid-file': { type: 'string' },
  'evidence-log': { type: 'string' },
  'no-evidence': { type: 'boolean' },
  'evidence-key-file': { type: 'string' },
  'evidence-key-id': { type: 'string' },
  'runner-key-file': { type: 'string' },
  'runner-key-id': { type: 'string' },
  'runner-oidc-issuer': { type: 'string' },
  'runner-oidc-audience': { type: 'string' },
  'runner-oidc-jwks': { type: 'string' },
  'policy-pack': { type: 'string', short: 'p' },
  policy: { type: 'string' },
  registry: { type: 'string' },
} as const satisfies OptionSpec;

const CLIENT_OPTIONS = {
  ...HELP_OPTION,
  socket: { type: 'string' },
  'pid-file': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

const VERIFY_OPTIONS = {
  ...HELP_OPTION,
  'key-file': { type: 'string' },
  'key-id': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

type RunFlags = Extract<ParsedArgs<typeof RUN_OPTIONS>, { ok: true }>['values'];

/** How long `start` waits for the socket and `stop` for the process. */
const START_WAIT_MS = 15_000;
const STOP_WAIT_MS = 10_000;

export async function runDaemon(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    if (sub === undefined)
      return usageError(io, 'missing subcommand: use start, status, stop, run or verify', 'daemon');
    io.stdout(DAEMON_HELP);
    return EXIT.ok;
  }
  switch (sub) {
    case 'start':
    case 'run': {
      const parsed = parseCommandArgs(rest, RUN_OPTIONS);
      if (!parsed.ok) return usageError(io, parsed.message, 'daemon');
      if (parsed.values.help === true) return help(io);
      if (parsed.positionals.length > 0)
        return usageError(io, `unexpected argument '${parsed.positionals[0] ?? ''}'`, 'daemon');
      return sub === 'run' ? runForeground(io, parsed.values) : start(io, rest, parsed.values);
    }
    case 'status':
    case 'stop': {
      const parsed = parseCommandArgs(rest, CLIENT_OPTIONS);
      if (!parsed.ok) return usageError(io, parsed.message, 'daemon');
      if (parsed.values.help === true) return help(io);
      const socket = daemonSocketPath(io, parsed.values.socket);
      const pidFile = pidFilePath(io, socket, parsed.values['pid-file']);
      return sub === 'status'
        ? status(io, socket, pidFile, parsed.values.json === true)
        : stop(io, socket, pidFile);
    }
    case 'verify':
      return verify(io, rest);
    default:
      return usageError(io, `unknown subcommand '${sub}': use start, status, stop, run or verify`, 'daemon');
  }
}

function help(io: CliIo): number {
  io.stdout(DAEMON_HELP);
  return EXIT.ok;
}

/** `--pid-file`, else the socket path with `.pid` for `.sock` (`.cavra/daemon.pid` by default). */
function pidFilePath(io: CliIo, socket: string, flag: string | undefined): string {
  if (flag !== undefined) return resolve(io.cwd, flag);
  return socket.endsWith('.sock') ? `${socket.slice(0, -'.sock'.length)}.pid` : `${socket}.pid`;
}

/** Reads everything `run` needs before it listens; every problem is a message. */
function prepare(
  io: CliIo,
  flags: RunFlags,
): Outcome<{ engine: DaemonEngine; evidence?: DaemonEvidenceStream; runnerAuth: RunnerAuthConfig }> {
  const setup = setupEngine(io, flags, []);
  if (!setup.ok) return setup;
  // Every pack on disk is loaded: requests may name any of them, and the daemon pays the cost once.
  const all = setupEngine(io, flags, setup.value.loaded.ids);
  if (!all.ok) return all;
  const { set, options } = all.value;
  const defaults = flags['policy-pack'] === undefined ? {} : { policy_pack: flags['policy-pack'] };
  if (defaults.policy_pack !== undefined && !set.packs.has(defaults.policy_pack)) {
    return {
      ok: false,
      message: `unknown policy pack '${defaults.policy_pack}': use one of ${[...set.packs.keys()].sort().join(', ')}`,
    };
  }
  const engine: DaemonEngine = {
    packs: [...set.packs.keys()].sort(),
    defaultPack: defaults.policy_pack ?? set.defaultPack,
    evaluate: (value) => {
      const request = toDecisionRequest(value, defaults);
      if (typeof request === 'string') return { ok: false, code: 'invalid_request', message: request };
      if (request.cwd !== undefined) request.cwd = resolve(io.cwd, request.cwd);
      const result = decide(request, set, options);
      if (!result.ok)
        return {
          ok: false,
          code: result.error.code,
          message: describeEngineError(result.error, request.policy_pack, all.value),
        };
      return { ok: true, decision: result.value };
    },
  };
  const keys = readKeys(io, flags);
  if (!keys.ok) return keys;
  let evidence: DaemonEvidenceStream | undefined;
  if (flags['no-evidence'] !== true) {
    const path = resolve(io.cwd, flags['evidence-log'] ?? DEFAULT_EVIDENCE_LOG);
    try {
      mkdirSync(dirname(path), { recursive: true });
      evidence = new DaemonEvidenceStream(path, keys.value.evidenceKey);
    } catch (error) {
      return {
        ok: false,
        message: `cannot open the evidence stream ${displayPath(io, path)}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  return {
    ok: true,
    value: { engine, ...(evidence !== undefined && { evidence }), runnerAuth: keys.value.runnerAuth },
  };
}

function readKeys(
  io: CliIo,
  flags: RunFlags,
): Outcome<{ evidenceKey?: StreamKey; runnerAuth: RunnerAuthConfig }> {
  const readKey = (path: string, what: string): Outcome<Uint8Array> => {
    try {
      return { ok: true, value: readRunnerKey(resolve(io.cwd, path)) };
    } catch (error) {
      return {
        ok: false,
        message: `cannot read the ${what} '${path}': ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  };
  let evidenceKey: StreamKey | undefined;
  const evidenceKeyFile = flags['evidence-key-file'] ?? io.env['CAVRA_DAEMON_EVIDENCE_KEY_FILE'];
  if (evidenceKeyFile !== undefined && evidenceKeyFile !== '') {
    const secret = readKey(evidenceKeyFile, 'evidence key file');
    if (!secret.ok) return secret;
    evidenceKey = { keyId: flags['evidence-key-id'] ?? 'daemon-hmac', secret: secret.value };
  }
  const runnerAuth: RunnerAuthConfig = {};
  if (flags['runner-key-file'] !== undefined) {
    const keyId = flags['runner-key-id'];
    if (keyId === undefined) return { ok: false, message: '--runner-key-file needs --runner-key-id' };
    const secret = readKey(flags['runner-key-file'], 'runner key file');
    if (!secret.ok) return secret;
    runnerAuth.hmacKeys = new Map([[keyId, secret.value]]);
  }
  const oidc = [flags['runner-oidc-issuer'], flags['runner-oidc-audience'], flags['runner-oidc-jwks']];
  if (oidc.some((value) => value !== undefined)) {
    const [issuer, audience, jwks] = oidc;
    if (issuer === undefined || audience === undefined || jwks === undefined) {
      return {
        ok: false,
        message: 'OIDC runner auth needs --runner-oidc-issuer, --runner-oidc-audience and --runner-oidc-jwks',
      };
    }
    const keySet = jwksFrom(io, jwks);
    if (!keySet.ok) return keySet;
    runnerAuth.oidc = { issuer, audience, jwks: keySet.value };
  }
  return { ok: true, value: { ...(evidenceKey !== undefined && { evidenceKey }), runnerAuth } };
}

function jwksFrom(io: CliIo, source: string): Outcome<JWTVerifyGetKey> {
  if (/^https?:\/\//.test(source)) return { ok: true, value: createRemoteJWKSet(new URL(source)) };
  try {
    const keys = JSON.parse(readFileSync(resolve(io.cwd, source), 'utf8')) as JSONWebKeySet;
    return { ok: true, value: createLocalJWKSet(keys) };
  } catch (error) {
    return {
      ok: false,
      message: `cannot read the JWKS '${source}': ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** `daemon run`: serves until SIGTERM or SIGINT, then removes its socket and pid file. */
async function runForeground(io: CliIo, flags: RunFlags): Promise<number> {
  const socketPath = daemonSocketPath(io, flags.socket);
  const pidFile = pidFilePath(io, socketPath, flags['pid-file']);
  const prepared = prepare(io, flags);
  if (!prepared.ok) return usageError(io, prepared.message);
  mkdirSync(dirname(socketPath), { recursive: true });
  let daemon;
  try {
    daemon = await startDaemonServer({
      socketPath,
      ...prepared.value,
      now: () => new Date(),
      randomHex12: () => randomBytes(6).toString('hex'),
    });
  } catch (error) {
    io.stderr(`cavra daemon: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  writeFileSync(
    pidFile,
    `${JSON.stringify({ pid: process.pid, socket: socketPath, started_at: daemon.status().started_at })}\n`,
  );
  const { evidence } = prepared.value;
  io.stdout(
    `cavra daemon: pid ${process.pid} listening on ${displayPath(io, socketPath)}` +
      `${evidence === undefined ? ', no evidence stream' : `, evidence ${displayPath(io, evidence.path)}${evidence.isSigned ? ' (signed)' : ''}`}\n`,
  );
  const running = daemon;
  await new Promise<void>((done) => {
    const shutdown = (): void => {
      process.off('SIGTERM', shutdown);
      process.off('SIGINT', shutdown);
      void running.close().then(done);
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  });
  rmSync(pidFile, { force: true });
  io.stdout(`cavra daemon: stopped after ${running.status().decisions} decision(s)\n`);
  return EXIT.ok;
}

async function askStatus(socket: string): Promise<DaemonStatus | undefined> {
  try {
    const [answer] = await askDaemon(socket, [{ op: 'status' }], 2000);
    return typeof answer === 'object' && answer !== null && 'pid' in answer
      ? (answer as DaemonStatus)
      : undefined;
  } catch (error) {
    if (error instanceof DaemonUnavailable) return undefined;
    throw error;
  }
}

/** `daemon start`: launches `daemon run` detached (output in .cavra/daemon.log) and waits for its socket. */
async function start(io: CliIo, rawArgs: string[], flags: RunFlags): Promise<number> {
  const socket = daemonSocketPath(io, flags.socket);
  const running = await askStatus(socket);
  if (running !== undefined) {
    io.stdout(`cavra daemon: already running (pid ${running.pid}) on ${displayPath(io, socket)}\n`);
    return EXIT.ok;
  }
  const logFile = join(dirname(pidFilePath(io, socket, flags['pid-file'])), 'daemon.log');
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  const bin = join(dirname(bundledPolicyDir()), 'bin', 'cavra.mjs');
  const child = spawn(process.execPath, [bin, 'daemon', 'run', ...rawArgs], {
    cwd: io.cwd,
    env: io.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  const exit: { code: number | null } = { code: null };
  child.once('exit', (code) => {
    exit.code = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + START_WAIT_MS;
  while (Date.now() < deadline) {
    const status = await askStatus(socket);
    if (status !== undefined) {
      io.stdout(
        `cavra daemon: started (pid ${status.pid}) on ${displayPath(io, socket)}; log ${displayPath(io, logFile)}\n`,
      );
      return EXIT.ok;
    }
    if (exit.code !== null) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  const tail = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n')
    : '';
  io.stderr(
    `cavra daemon: did not start${exit.code === null ? ' in time' : ` (exit ${String(exit.code)})`}; ${displayPath(io, logFile)}:\n${tail}\n`,
  );
  return EXIT.failed;
}

async function status(io: CliIo, socket: string, pidFile: string, json: boolean): Promise<number> {
  const answer = await askStatus(socket);
  if (answer === undefined) {
    const stale = existsSync(pidFile) ? ` (stale pid file ${displayPath(io, pidFile)})` : '';
    if (json) printJson(io, { running: false, socket });
    else io.stdout(`cavra daemon: not running on ${displayPath(io, socket)}${stale}\n`);
    return EXIT.failed;
  }
  if (json) {
    printJson(io, { running: true, ...answer });
    return EXIT.ok;
  }
  const evidence =
    answer.evidence_log === null
      ? 'none'
      : `${displayPath(io, answer.evidence_log)} (${answer.evidence_records ?? 0} records${answer.evidence_signed ? ', signed' : ''})`;
  io.stdout(
    `cavra daemon: running\n  pid             ${answer.pid}\n  socket          ${displayPath(io, answer.socket)}\n` +
      `  since           ${answer.started_at}\n  decisions       ${answer.decisions}\n  evidence        ${evidence}\n` +
      `  runner auth     ${answer.runner_auth.length === 0 ? 'off' : answer.runner_auth.join(', ')}\n` +
      `  default pack    ${answer.default_pack} (${answer.policy_packs.length} packs)\n`,
  );
  return EXIT.ok;
}

/** `daemon stop`: SIGTERM to the daemon's pid, then waits until it is gone (SIGKILL after the wait). */
async function stop(io: CliIo, socket: string, pidFile: string): Promise<number> {
  const answer = await askStatus(socket);
  const pid = answer?.pid ?? readPid(pidFile);
  if (pid === undefined || !isAlive(pid)) {
    rmSync(pidFile, { force: true });
    io.stdout(`cavra daemon: not running on ${displayPath(io, socket)}\n`);
    return EXIT.ok;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    io.stderr(`cavra daemon: pid ${pid} did not stop within ${STOP_WAIT_MS / 1000}s and was killed\n`);
  }
  rmSync(pidFile, { force: true });
  if (answer === undefined) rmSync(socket, { force: true });
  io.stdout(`cavra daemon: stopped (pid ${pid})\n`);
  return EXIT.ok;
}

function readPid(pidFile: string): number | undefined {
  try {
    const pid: unknown = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `daemon verify <file>`: upstream's verification report; exit 1 when invalid. */
function verify(io: CliIo, args: string[]): number {
  const parsed = parseCommandArgs(args, VERIFY_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'daemon');
  if (parsed.values.help === true) return help(io);
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0)
    return usageError(io, 'give one evidence stream: cavra daemon verify <stream.jsonl>', 'daemon');
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    return usageError(io, `cannot read '${file}': ${error instanceof Error ? error.message : String(error)}`);
  }
  let key: StreamKey | undefined;
  const keyFile = parsed.values['key-file'];
  if (keyFile !== undefined) {
    try {
      key = {
        keyId: parsed.values['key-id'] ?? 'daemon-hmac',
        secret: readRunnerKey(resolve(io.cwd, keyFile), 1),
      };
    } catch (error) {
      return usageError(
        io,
        `cannot read the key file '${keyFile}': ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const report = verifyDaemonEvidence(text, file, key);
  if (parsed.values.json === true) printJson(io, report);
  else {
    io.stdout(
      `${report.valid ? 'valid' : 'INVALID'}: ${report.records} record(s), ${report.signed_records} signed\n`,
    );
    for (const error of report.errors) io.stdout(`  ${error}\n`);
  }
  return report.valid ? EXIT.ok : EXIT.failed;
}
