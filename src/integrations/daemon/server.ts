/**
 * The enforcement daemon: the engine behind a Unix socket, policies loaded once, so a hook or CI step pays a
 * socket round trip instead of a cold start. Protocol in ./protocol. Fail closed throughout: a request that
 * is malformed, unauthenticated, undecidable or cannot be recorded is answered with a block.
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Decision } from '../../engine';
import type { DaemonEvidenceStream } from './evidence-stream';
import { MAX_LINE_BYTES, blockAnswer, type DaemonStatus, type FailRule } from './protocol';
import { redactRunnerAuth, runnerActor, verifyRunnerAuth, type RunnerAuthConfig } from './runner-auth';

/** What the daemon decides with (built by the CLI from the packs it loaded). */
export type DaemonEngine = {
  evaluate(
    request: Record<string, unknown>,
  ): { ok: true; decision: Decision } | { ok: false; code: string; message: string };
  packs: readonly string[];
  defaultPack: string;
};

export type DaemonOptions = {
  socketPath: string;
  engine: DaemonEngine;
  evidence?: DaemonEvidenceStream | undefined;
  runnerAuth: RunnerAuthConfig;
  now: () => Date;
  /** 12 lowercase hex characters (ids of block answers). */
  randomHex12: () => string;
};

export type RunningDaemon = {
  status(): DaemonStatus;
  /** Stops accepting, lets answers in flight finish, removes the socket. */
  close(): Promise<void>;
};

/**
 * Listens on `socketPath` (mode 0600: only the owner's processes may ask). A socket file left by a daemon
 * that died is replaced; one that still answers is an error.
 * @throws Error when another daemon listens there or the socket cannot be created.
 */
export async function startDaemonServer(options: DaemonOptions): Promise<RunningDaemon> {
  const { socketPath } = options;
  if (existsSync(socketPath)) {
    if (await isListening(socketPath)) throw new Error(`a daemon is already listening on ${socketPath}`);
    unlinkSync(socketPath);
  }
  const startedAt = options.now().toISOString();
  let decisions = 0;
  const status = (): DaemonStatus => ({
    schema_version: 'cavra.daemon.status.v1',
    pid: process.pid,
    socket: socketPath,
    started_at: startedAt,
    decisions,
    evidence_log: options.evidence?.path ?? null,
    evidence_records: options.evidence?.size ?? null,
    evidence_signed: options.evidence?.isSigned ?? false,
    runner_auth: [
      ...((options.runnerAuth.hmacKeys?.size ?? 0) > 0 ? ['hmac'] : []),
      ...(options.runnerAuth.oidc !== undefined ? ['oidc'] : []),
    ],
    policy_packs: [...options.engine.packs],
    default_pack: options.engine.defaultPack,
  });
  const answer = async (line: string): Promise<unknown> => {
    const result = await handleLine(line, options, status);
    if (result.counted) decisions += 1;
    return result.answer;
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, answer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return {
    status,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          if (existsSync(socketPath)) unlinkSync(socketPath);
          resolve();
        });
        // Idle connections would keep the server open forever: end them; answers in flight still go out.
        for (const socket of sockets) socket.end();
      }),
  };
}

/** Reads lines from one connection and answers each, in order. */
function serveConnection(socket: Socket, answer: (line: string) => Promise<unknown>): void {
  socket.setEncoding('utf8');
  let buffer = '';
  let queue = Promise.resolve();
  const reply = (line: string): void => {
    queue = queue.then(async () => {
      const value = await answer(line);
      if (!socket.destroyed) socket.write(`${JSON.stringify(value)}\n`);
    });
  };
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim() !== '') reply(line);
      newline = buffer.indexOf('\n');
    }
    if (Buffer.byteLength(buffer) > MAX_LINE_BYTES) {
      buffer = '';
      reply('\u0000oversized');
      void queue.then(() => socket.end());
    }
  });
  // One request per connection without a final newline (upstream's Go client) is answered too.
  socket.on('end', () => {
    if (buffer.trim() !== '') reply(buffer);
    buffer = '';
    void queue.then(() => socket.end());
  });
  socket.on('error', () => socket.destroy());
}

type Handled = { answer: unknown; counted: boolean };

async function handleLine(
  line: string,
  options: DaemonOptions,
  status: () => DaemonStatus,
): Promise<Handled> {
  const context = (): { now: Date; id: string } => ({ now: options.now(), id: options.randomHex12() });
  const refuse = (
    request: unknown,
    recorded: unknown,
    rule: FailRule,
    code: string,
    message: string,
  ): Handled => {
    const block = blockAnswer(request, rule, code, message, context());
    return { answer: record(options, recorded, block), counted: true };
  };
  if (line === '\u0000oversized') {
    return refuse(
      {},
      { invalid_request: '(line too long)' },
      'daemon.request.invalid',
      'too_large',
      `a request line is limited to ${MAX_LINE_BYTES} bytes`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return refuse(
      {},
      { invalid_request: line.slice(0, 1000) },
      'daemon.request.invalid',
      'invalid_json',
      `the request is not JSON (${detail})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse(
      {},
      { invalid_request: line.slice(0, 1000) },
      'daemon.request.invalid',
      'invalid_request',
      'a request must be a JSON object',
    );
  }
  const request = parsed as Record<string, unknown>;
  const recorded = redactRunnerAuth(request);
  if (request['op'] !== undefined) {
    if (request['op'] === 'status') return { answer: status(), counted: false };
    return refuse(
      request,
      recorded,
      'daemon.request.invalid',
      'unknown_op',
      `unknown op ${JSON.stringify(request['op'])}: the daemon knows 'status'`,
    );
  }
  const auth = await verifyRunnerAuth(request, options.runnerAuth, options.now());
  if (!auth.ok)
    return refuse(request, recorded, 'daemon.runner_auth.failed', 'runner_auth_failed', auth.message);
  const toDecide: Record<string, unknown> = { ...request };
  delete toDecide['runner_auth'];
  if (auth.identity !== null && typeof toDecide['actor'] !== 'string')
    toDecide['actor'] = runnerActor(auth.identity);
  let result: ReturnType<DaemonEngine['evaluate']>;
  try {
    result = options.engine.evaluate(toDecide);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return refuse(
      request,
      recorded,
      'runtime.error.fail_closed',
      'engine_error',
      `the engine failed: ${detail}`,
    );
  }
  if (!result.ok) return refuse(request, recorded, 'daemon.request.invalid', result.code, result.message);
  try {
    const answered =
      options.evidence === undefined
        ? result.decision
        : options.evidence.append(recorded, result.decision, options.now());
    return { answer: answered, counted: true };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      answer: blockAnswer(
        request,
        'runtime.error.fail_closed',
        'evidence_failed',
        `the decision could not be recorded (${detail})`,
        context(),
      ),
      counted: true,
    };
  }
}

/** Appends a block answer to the stream when there is one; a failure to record it keeps the block. */
function record(options: DaemonOptions, request: unknown, answer: Record<string, unknown>): unknown {
  if (options.evidence === undefined) return answer;
  try {
    return options.evidence.append(request, answer, options.now());
  } catch {
    return answer;
  }
}

/** Whether something answers on a Unix socket path (a live daemon). */
export function isListening(socketPath: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const done = (listening: boolean): void => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(timeoutMs, () => {
      done(false);
    });
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
  });
}
