/**
 * The sandbox's own strip above the console: the synthetic-data notice, the persona picker (the sandbox's
 * "login"), persistence and reset. The console below is unchanged; it learns of a persona through its auth
 * adapter and the credential the transport adds.
 */
import { useState, useSyncExternalStore } from 'react';
import type { SandboxRuntime } from '../backend/runtime';
import type { PersonaId } from '../backend/personas';

/** The notice every page carries. */
export const SANDBOX_BANNER = 'Sandbox — synthetic data';

type Props = {
  runtime: SandboxRuntime;
  isPersistent: boolean;
  onPersistenceChange: (isPersistent: boolean) => void;
};

export function SandboxBar({ runtime, isPersistent, onPersistenceChange }: Props) {
  const persona = useSyncExternalStore(runtime.subscribe, runtime.persona);
  const [isResetting, setResetting] = useState(false);
  const [status, setStatus] = useState('');
  const handleReset = () => {
    setResetting(true);
    runtime
      .reset()
      .then(() => {
        setStatus('Sandbox reset to the seed data.');
      })
      .catch((error: unknown) => {
        setStatus(`Reset failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        setResetting(false);
      });
  };
  return (
    <div
      role="region"
      aria-label="Sandbox"
      className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <strong className="font-semibold">{SANDBOX_BANNER}</strong>
      <span className="hidden text-xs md:inline">
        The real CAVRA engine and API, running in this tab. Nothing leaves your browser.
      </span>
      <label className="flex items-center gap-1.5">
        <span>Persona</span>
        <select
          className="rounded border border-amber-400 bg-white px-1.5 py-0.5 text-sm text-slate-900 dark:bg-slate-900 dark:text-slate-100"
          value={persona.id}
          onChange={(event) => {
            runtime.setPersona(event.target.value as PersonaId);
            setStatus(`Now acting as ${runtime.persona().label}.`);
          }}
        >
          {runtime.personas.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.label}
            </option>
          ))}
        </select>
      </label>
      <span className="text-xs" title={persona.summary}>
        groups: {persona.principal.actor.groups.join(', ')}
      </span>
      <label className="flex items-center gap-1.5 text-xs">
        <input
          type="checkbox"
          checked={isPersistent}
          onChange={(event) => {
            onPersistenceChange(event.target.checked);
          }}
        />
        Keep my changes in this browser
      </label>
      <button
        type="button"
        className="rounded border border-amber-400 px-2 py-0.5 text-xs font-medium hover:bg-amber-100 disabled:opacity-60 dark:hover:bg-amber-900"
        onClick={handleReset}
        disabled={isResetting}
      >
        {isResetting ? 'Resetting…' : 'Reset sandbox'}
      </button>
      <a className="text-xs underline" href="#/tour">
        Presenter mode
      </a>
      <span role="status" aria-live="polite" className="text-xs">
        {status}
      </span>
    </div>
  );
}
