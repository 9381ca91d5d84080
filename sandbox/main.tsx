/**
 * The sandbox's entry, kept tiny so it runs as soon as the page loads: start compiling the SQLite wasm and
 * restoring the seed in a worker, then load the console and the in-browser backend (./browser/app.tsx), which
 * mounts while the restore runs (decision 0025).
 */
import './browser/sandbox.css';
import { startSeedRestore } from './browser/seed-restore';

const restore = startSeedRestore();
import('./browser/app')
  .then(({ startApp }) => {
    startApp(restore);
  })
  .catch((error: unknown) => {
    const root = document.getElementById('root');
    if (root !== null) {
      root.textContent = `The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`;
      root.setAttribute('role', 'alert');
    }
  });
