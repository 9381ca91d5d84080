/**
 * The sandbox page: the same console as the live build with the sandbox transport (an injected fetch into the
 * API app in this tab) and the persona auth adapter (decision 0022), over the in-browser backend. The console
 * mounts at once and its requests wait for the backend, which boots meanwhile (decision 0025). Persona changes
 * and resets remount the console, so every query is read again.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { mountConsole } from '../../src/console/app/create-console';
import type { SandboxRuntime } from '../backend/runtime';
import { findPersona } from '../backend/personas';
import { bootSandbox } from './boot';
import { SandboxBar, SANDBOX_BANNER } from './sandbox-bar';
import { sandboxAuth } from './sandbox-auth';
import type { SeedRestore } from './seed-restore';

const PERSIST_KEY = 'cavra.sandbox.persist';
const PERSONA_KEY = 'cavra.sandbox.persona';

declare global {
  interface Window {
    /** Boot timings and the runtime, for the budget script and curious evaluators. */
    cavraSandbox?: { runtime: SandboxRuntime; timings: Record<string, number>; ready: Promise<void> };
  }
}

function readSetting(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeSetting(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the setting lasts for this page only.
  }
}

/** Boots the backend and mounts the bar and the console. */
export function startApp(restore: SeedRestore): void {
  const barElement = document.getElementById('sandbox-bar');
  const root = document.getElementById('root');
  if (barElement === null || root === null) throw new Error('index.html needs #sandbox-bar and #root');
  let isPersistent = readSetting(PERSIST_KEY) !== 'false';
  const { runtime, ready, timings } = bootSandbox(restore, {
    version: __CAVRA_VERSION__,
    persist: isPersistent,
  });
  const savedPersona = findPersona(readSetting(PERSONA_KEY) ?? '');
  if (savedPersona !== undefined) runtime.setPersona(savedPersona.id);
  window.cavraSandbox = { runtime, timings, ready };
  const mount = () =>
    mountConsole(root, {
      fetch: runtime.fetch,
      baseUrl: '/api',
      auth: sandboxAuth(runtime),
      banner: SANDBOX_BANNER,
    });
  let unmount = mount();
  runtime.subscribe(() => {
    writeSetting(PERSONA_KEY, runtime.persona().id);
    unmount();
    unmount = mount();
  });
  const bar = createRoot(barElement);
  const renderBar = () => {
    bar.render(
      <StrictMode>
        <SandboxBar
          runtime={runtime}
          isPersistent={isPersistent}
          onPersistenceChange={(next) => {
            isPersistent = next;
            writeSetting(PERSIST_KEY, String(next));
            renderBar();
          }}
        />
      </StrictMode>,
    );
  };
  renderBar();
  ready.catch((error: unknown) => {
    unmount();
    root.textContent = `The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`;
    root.setAttribute('role', 'alert');
  });
}
