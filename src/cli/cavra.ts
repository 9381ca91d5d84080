/**
 * Process entry of the `cavra` CLI (bundled to dist/cli/cavra.mjs, started by bin/cavra.mjs).
 * Everything else lives in runCli, which takes its streams as arguments.
 */
import { runCli } from './main';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    process.stdin.on('error', reject);
  });
}

// `cavra policy list | head -1` closes the pipe early: stop quietly instead of throwing EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: readStdin,
  env: process.env,
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY,
  isStderrTTY: process.stderr.isTTY,
});
