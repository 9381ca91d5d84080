/**
 * Starts the real server for browser tests: the built CLI (`cavra serve`) on a free port, a fresh SQLite file
 * and its own working directory (keys land there), seeded with the demo sessions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type RunningServer = { url: string; stop: () => Promise<void>; dir: string };

/** Extra environment (e.g. the OIDC configuration) and a fixed port (default: a free one). */
export type ServerOptions = { env?: Record<string, string>; port?: number };

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-e2e-'));
  const port = String(options.port ?? 0);
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'cavra.mjs'), 'serve', '--port', port, '--db', join(dir, 'cavra.sqlite')],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CAVRA_HOST: '127.0.0.1', ...options.env },
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`cavra serve did not start in 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] && output.includes('press Ctrl-C')) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cavra serve exited with ${String(code)}:\n${output}`));
    });
  });
  let isStopped = false;
  const stop = async () => {
    if (isStopped) return;
    isStopped = true;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 8_000);
    await exited;
    clearTimeout(forced);
  };
  return {
    url,
    dir,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port that was free a moment ago (for a server whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve();
    }),
  );
  return port;
}
