/**
 * The CLI side of the enforcement daemon: where its socket is, and requests signed with the runner's
 * identity from the environment (`CAVRA_RUNNER_KEY_FILE` + `CAVRA_RUNNER_KEY_ID` + `CAVRA_RUNNER_ID`, or
 * `CAVRA_RUNNER_OIDC_TOKEN`). Shared by `evaluate --daemon`, the hooks, `agent exec` and `daemon status`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_SOCKET } from '../integrations/daemon/protocol';
import { signRunnerAuth, type RunnerAuth } from '../integrations/daemon/runner-sign';
import type { Outcome } from './context';
import type { CliIo } from './io';

/** `--socket`, else `$CAVRA_DAEMON_SOCKET`, else `.cavra/daemon.sock` under the working directory. */
export function daemonSocketPath(io: CliIo, flag: string | undefined): string {
  const chosen = flag ?? io.env['CAVRA_DAEMON_SOCKET'];
  return resolve(io.cwd, chosen === undefined || chosen === '' ? DEFAULT_SOCKET : chosen);
}

/** Whether a daemon socket file exists (the hooks then ask the daemon first). */
export function hasDaemonSocket(io: CliIo, flag: string | undefined): boolean {
  return existsSync(daemonSocketPath(io, flag));
}

/** The request as sent to the daemon: with `runner_auth` when the environment holds a runner identity. */
export function withRunnerAuth(
  io: CliIo,
  request: Record<string, unknown>,
  now: Date = new Date(),
): Outcome<Record<string, unknown>> {
  const token = io.env['CAVRA_RUNNER_OIDC_TOKEN'];
  if (token !== undefined && token !== '') {
    const auth: RunnerAuth = { type: 'oidc', token };
    return { ok: true, value: { ...request, runner_auth: auth } };
  }
  const keyFile = io.env['CAVRA_RUNNER_KEY_FILE'];
  if (keyFile === undefined || keyFile === '') return { ok: true, value: request };
  const keyId = io.env['CAVRA_RUNNER_KEY_ID'];
  const runnerId = io.env['CAVRA_RUNNER_ID'];
  if (keyId === undefined || keyId === '' || runnerId === undefined || runnerId === '') {
    return {
      ok: false,
      message: 'CAVRA_RUNNER_KEY_FILE is set: set CAVRA_RUNNER_KEY_ID and CAVRA_RUNNER_ID too',
    };
  }
  let secret: Uint8Array;
  try {
    secret = readRunnerKey(resolve(io.cwd, keyFile));
  } catch (error) {
    return {
      ok: false,
      message: `cannot read the runner key CAVRA_RUNNER_KEY_FILE='${keyFile}' (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const auth = signRunnerAuth(request, { keyId, secret, runnerId }, now);
  return { ok: true, value: { ...request, runner_auth: auth } };
}

/**
 * A runner or stream HMAC key file: its text, trimmed, as UTF-8 bytes. Keys that sign need 16 bytes or more;
 * verifying accepts shorter ones (upstream's test vectors use a 15-byte key).
 */
export function readRunnerKey(path: string, minBytes = 16): Uint8Array {
  const secret = new TextEncoder().encode(readFileSync(path, 'utf8').trim());
  if (secret.length < minBytes) throw new Error(`an HMAC key needs at least ${minBytes} bytes`);
  return secret;
}
