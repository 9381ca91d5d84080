/**
 * Ctrl-K: every page, every policy pack, and any decision, approval or session by id. A combobox with a
 * listbox, driven by the keyboard (arrows, Enter, Escape).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldClass } from '../components/ui/button';
import { Modal } from '../components/ui/dialog';
import { useApi } from '../lib/context';
import { policyPacksQuery } from '../lib/shared-queries';
import { useUiStore } from '../lib/ui-store';
import { EXTRA_PAGES, NAV_ITEMS } from './nav-items';

type Entry = { id: string; label: string; kind: string; to: string };

function entityEntries(text: string): Entry[] {
  const id = text.trim();
  if (/^dec_[\w-]+$/.test(id))
    return [
      { id: `d-${id}`, label: `Open decision ${id}`, kind: 'Decision', to: `/activity/decisions?open=${id}` },
    ];
  if (/^apr_[\w-]+$/.test(id))
    return [{ id: `a-${id}`, label: `Open approval ${id}`, kind: 'Approval', to: `/approvals/${id}` }];
  if (id.length >= 3) {
    return [
      {
        id: `s-${id}`,
        label: `Decisions of session ${id}`,
        kind: 'Session',
        to: `/activity/decisions?session_id=${encodeURIComponent(id)}`,
      },
      {
        id: `r-${id}`,
        label: `Decisions in repository ${id}`,
        kind: 'Repository',
        to: `/activity/decisions?repository=${encodeURIComponent(id)}`,
      },
    ];
  }
  return [];
}

function PaletteBody({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const navigate = useNavigate();
  const packs = useQuery(policyPacksQuery(api));
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const needle = text.trim().toLowerCase();
  const pages: Entry[] = [...NAV_ITEMS, ...EXTRA_PAGES].map((item) => ({
    id: `p-${item.to}`,
    label: item.label,
    kind: 'Page',
    to: item.to,
  }));
  const packEntries: Entry[] = (packs.data?.items ?? []).map((pack) => ({
    id: `k-${pack.id}`,
    label: `${pack.title} (${pack.id})`,
    kind: 'Policy pack',
    to: `/policies/${encodeURIComponent(pack.id)}`,
  }));
  const matches = [...pages, ...packEntries].filter((entry) => {
    if (!needle) return entry.kind === 'Page';
    const page = [...NAV_ITEMS, ...EXTRA_PAGES].find((item) => `p-${item.to}` === entry.id);
    return `${entry.label} ${page?.keywords ?? ''}`.toLowerCase().includes(needle);
  });
  const entries = [...entityEntries(text), ...matches].slice(0, 16);
  const go = (entry: Entry | undefined) => {
    if (!entry) return;
    onClose();
    void navigate(entry.to);
  };
  return (
    <div>
      <label htmlFor="palette-input" className="sr-only">
        Search pages, packs and ids
      </label>
      <input
        id="palette-input"
        autoFocus
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-results"
        aria-activedescendant={entries[active] ? `palette-${entries[active].id}` : undefined}
        className={fieldClass}
        placeholder="Page, policy pack, dec_…, apr_…, session or repository"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((i) => Math.min(i + 1, entries.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            go(entries[active]);
          }
        }}
      />
      <ul id="palette-results" role="listbox" aria-label="Results" className="mt-2 max-h-80 overflow-y-auto">
        {entries.length === 0 ? (
          <li className="p-2 text-sm text-slate-600 dark:text-slate-400">Nothing matches “{text}”.</li>
        ) : null}
        {entries.map((entry, index) => (
          <li
            key={entry.id}
            id={`palette-${entry.id}`}
            role="option"
            aria-selected={index === active}
            onMouseEnter={() => {
              setActive(index);
            }}
            onClick={() => {
              go(entry);
            }}
            className={`flex cursor-pointer items-center justify-between gap-2 rounded px-2 py-1.5 text-sm ${index === active ? 'bg-teal-700 text-white dark:bg-teal-700' : ''}`}
          >
            <span className="truncate">{entry.label}</span>
            <span
              className={`text-xs ${index === active ? 'text-teal-50' : 'text-slate-600 dark:text-slate-400'}`}
            >
              {entry.kind}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CommandPalette() {
  const isOpen = useUiStore((s) => s.isPaletteOpen);
  const setOpen = useUiStore((s) => s.setPaletteOpen);
  return (
    <Modal
      isOpen={isOpen}
      onClose={() => {
        setOpen(false);
      }}
      title="Go to"
    >
      <PaletteBody
        onClose={() => {
          setOpen(false);
        }}
      />
    </Modal>
  );
}
