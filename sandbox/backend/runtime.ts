/**
 * The sandbox runtime: one backend at a time (reset swaps in a fresh one from the seed), the chosen persona, an
 * injected `fetch` that routes `/api/*` to the backend inside the page (decision 0022), and optional
 * persistence of the database image after every change.
 */
import { openSandboxBackend, type SandboxBackend, type SandboxBackendOptions } from './create-backend';
import { personaCredential } from './persona-auth';
import { PERSONAS, findPersona, type Persona, type PersonaId } from './personas';

/** Where a sandbox session is kept between visits (IndexedDB in the page; nothing in tests). */
export interface SnapshotStore {
  load(): Promise<Uint8Array | null>;
  save(image: Uint8Array): Promise<void>;
  clear(): Promise<void>;
}

/** Options of {@link startSandbox}. */
export type SandboxRuntimeOptions = Omit<SandboxBackendOptions, 'data'> & {
  /** The fixture database image every reset returns to. */
  seed: Uint8Array;
  snapshots?: SnapshotStore;
  persona?: PersonaId;
  /** Milliseconds to wait after a change before saving (changes in a burst are saved once). Default 400. */
  saveDelayMs?: number;
};

/** Whether the running database came from the seed or from a saved session. */
export type SandboxOrigin = 'seed' | 'saved';

/** A running sandbox. */
export interface SandboxRuntime {
  /** A `fetch` for the console: `/api/*` goes to the in-page API, anything else to the network. */
  readonly fetch: typeof fetch;
  readonly personas: readonly Persona[];
  readonly persona: () => Persona;
  readonly setPersona: (id: PersonaId) => void;
  /** Called after a persona change or a reset (the console refetches). Returns an unsubscribe function. */
  readonly subscribe: (listener: () => void) => () => void;
  readonly origin: () => SandboxOrigin;
  readonly backend: () => SandboxBackend;
  /** Restores the seed and forgets the saved session. */
  readonly reset: () => Promise<void>;
  /** Saves now (pending delayed saves included). */
  readonly flush: () => Promise<void>;
}

const API_PATH = /^\/api(\/|$)/;

/** Starts the sandbox from the saved session when there is a readable one, else from the seed. */
export async function startSandbox(options: SandboxRuntimeOptions): Promise<SandboxRuntime> {
  const { seed, sqlJs, policies, crypto, ...rest } = options;
  const materials: SandboxMaterials = { seed, sqlJs, policies, ...(crypto !== undefined && { crypto }) };
  const { runtime, ready } = createSandboxRuntime({ ...rest, open: Promise.resolve(materials) });
  await ready;
  return runtime;
}

/** What {@link createSandboxRuntime} waits for before the first backend opens (and the crypto, if it comes too). */
export type SandboxMaterials = Pick<SandboxRuntimeOptions, 'seed' | 'sqlJs' | 'policies' | 'crypto'>;

/**
 * The runtime at once, its backend when `open` gives the seed, sql.js and the packs (the page boots them in
 * parallel with the console: decision 0025). Until then persona changes work and `fetch` waits; `ready`
 * settles when the first backend is open (or could not be).
 */
export function createSandboxRuntime(
  options: Omit<SandboxRuntimeOptions, keyof SandboxMaterials> & { open: Promise<SandboxMaterials> },
): { runtime: SandboxRuntime; ready: Promise<void> } {
  const { open, snapshots, saveDelayMs = 400, persona, ...rest } = options;
  let origin: SandboxOrigin = 'seed';
  let current: SandboxBackend | undefined;
  let materials: SandboxMaterials | undefined;
  // Read the saved session (IndexedDB) while the materials are on their way.
  const savedImage = snapshots?.load().catch(() => null);
  const opening = open.then(async (opened) => {
    materials = opened;
    current = await openFromSavedOrSeed(opened);
    return current;
  });
  const backendNow = async (): Promise<SandboxBackend> => current ?? (await opening);
  let personaId: PersonaId = persona ?? 'developer';
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of listeners) listener();
  };

  async function openFromSavedOrSeed({ seed, ...backendOptions }: SandboxMaterials): Promise<SandboxBackend> {
    const saved = await savedImage;
    if (saved !== null && saved !== undefined) {
      try {
        const backend = await openSandboxBackend({ ...rest, ...backendOptions, data: saved });
        origin = 'saved';
        return backend;
      } catch {
        // An unreadable saved session (an older schema, a truncated write) must not keep the page from booting.
        await snapshots?.clear().catch(() => undefined);
      }
    }
    origin = 'seed';
    return openSandboxBackend({ ...rest, ...backendOptions, data: seed });
  }

  const save = async (): Promise<void> => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (snapshots !== undefined && current !== undefined) await snapshots.save(current.exportDatabase());
  };
  const scheduleSave = (): void => {
    if (snapshots === undefined) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      save().catch(() => undefined);
    }, saveDelayMs);
  };

  const sandboxFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(resolve(input), init);
    const url = new URL(request.url);
    if (!API_PATH.test(url.pathname)) return fetch(input, init);
    const headers = new Headers(request.headers);
    if (!headers.has('authorization')) headers.set('authorization', personaCredential(personaId));
    const response = await (await backendNow()).handle(new Request(request, { headers }));
    if (request.method !== 'GET' && request.method !== 'HEAD' && response.status < 400) {
      origin = 'saved';
      scheduleSave();
    }
    return response;
  };

  const runtime: SandboxRuntime = {
    fetch: sandboxFetch,
    personas: PERSONAS,
    persona: () => findPersona(personaId) ?? (PERSONAS[0] as Persona),
    setPersona: (id) => {
      if (findPersona(id) === undefined) throw new Error(`unknown persona '${id}'`);
      personaId = id;
      notify();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    origin: () => origin,
    backend: () => {
      if (current === undefined) throw new Error('the sandbox backend is still starting');
      return current;
    },
    reset: async () => {
      const previous = await backendNow();
      clearTimeout(saveTimer);
      saveTimer = undefined;
      const { seed, ...backendOptions } = materials as SandboxMaterials;
      current = await openSandboxBackend({ ...rest, ...backendOptions, data: seed });
      origin = 'seed';
      await previous.close();
      await snapshots?.clear();
      notify();
    },
    flush: save,
  };
  return { runtime, ready: opening.then(() => undefined) };
}

/**
 * A request URL as an absolute URL: relative ones are resolved against the page (so `/api/x` from a page under
 * `/cavra/` still means the API's `/api/x`, which never leaves the page).
 */
function resolve(input: RequestInfo | URL): string {
  if (input instanceof Request) return input.url;
  const base = typeof location === 'undefined' ? 'http://sandbox.invalid/' : location.href;
  return new URL(input.toString(), base).toString();
}
