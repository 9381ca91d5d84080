/**
 * The daemon's client: sends request lines over the Unix socket and reads one answer line per request.
 * Used by `cavra evaluate --daemon`, the hooks and `cavra daemon status`.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/** Why a daemon could not be asked (the caller decides whether to fall back or fail closed). */
export class DaemonUnavailable extends Error {
  override readonly name = 'DaemonUnavailable';
}

/**
 * Sends `requests` on one connection and resolves their answers, in order.
 * @throws DaemonUnavailable when the socket is missing, refuses, closes early, or `timeoutMs` passes.
 */
export function askDaemon(
  socketPath: string,
  requests: readonly unknown[],
  timeoutMs = 5000,
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    if (!existsSync(socketPath)) {
      reject(new DaemonUnavailable(`no daemon socket at ${socketPath}: start one with 'cavra daemon start'`));
      return;
    }
    const answers: unknown[] = [];
    let buffer = '';
    let settled = false;
    const socket = connect(socketPath);
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve(answers);
      else reject(error);
    };
    const timer = setTimeout(() => {
      finish(new DaemonUnavailable(`the daemon at ${socketPath} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      socket.write(requests.map((request) => `${JSON.stringify(request)}\n`).join(''));
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          answers.push(JSON.parse(line));
        } catch {
          finish(new DaemonUnavailable(`the daemon at ${socketPath} answered a line that is not JSON`));
          return;
        }
        newline = buffer.indexOf('\n');
      }
      if (answers.length >= requests.length) finish();
    });
    socket.once('error', (error) => {
      finish(new DaemonUnavailable(`cannot reach the daemon at ${socketPath} (${error.message})`));
    });
    socket.once('close', () => {
      finish(
        new DaemonUnavailable(
          `the daemon at ${socketPath} closed the connection after ${answers.length} of ${requests.length} answers`,
        ),
      );
    });
  });
}
