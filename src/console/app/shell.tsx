/** The frame of every page: navigation, top bar (search, theme, who am I), mode banners, toasts. */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { Button } from '../components/ui/button';
import { useApi, useAuth, useBanner, useConsoleConfig } from '../lib/context';
import { consoleSessionQuery, healthQuery, pendingApprovalsQuery } from '../lib/shared-queries';
import { useUiStore, type Theme } from '../lib/ui-store';
import { TourOverlay } from '../features/tour/components/tour-overlay';
import { CommandPalette } from './command-palette';
import { NAV_ITEMS } from './nav-items';

function useThemeClass() {
  const theme = useUiStore((s) => s.theme);
  useEffect(() => {
    // matchMedia is missing in some embedded browsers and in jsdom: the system theme is then light.
    const media =
      typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    const apply = () => {
      const isDark = theme === 'dark' || (theme === 'system' && media?.matches === true);
      document.documentElement.classList.toggle('dark', isDark);
    };
    apply();
    media?.addEventListener('change', apply);
    return () => {
      media?.removeEventListener('change', apply);
    };
  }, [theme]);
}

function useGlobalShortcuts() {
  const setPaletteOpen = useUiStore((s) => s.setPaletteOpen);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPaletteOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
    };
  }, [setPaletteOpen]);
}

function ModeBanners() {
  const config = useConsoleConfig();
  const banner = useBanner();
  const api = useApi();
  const health = useQuery({ ...healthQuery(api), refetchInterval: 15_000 });
  return (
    <>
      {config.demo_mode ? (
        <p role="note" className="bg-amber-200 px-4 py-1.5 text-center text-sm font-medium text-amber-950">
          Demo mode: no identity provider is configured, so every caller acts as the demo operator with every
          permission. Keep this server on your machine.
        </p>
      ) : null}
      {banner ? (
        <p role="note" className="bg-sky-200 px-4 py-1.5 text-center text-sm font-medium text-sky-950">
          {banner}
        </p>
      ) : null}
      {health.isError ? (
        <div
          role="alert"
          className="flex flex-wrap items-center justify-center gap-3 bg-red-700 px-4 py-1.5 text-sm font-medium text-white"
        >
          The CAVRA API is not answering ({health.error.message}). What you see may be out of date.
          <button type="button" className="underline" onClick={() => void health.refetch()}>
            Retry
          </button>
        </div>
      ) : null}
    </>
  );
}

function WhoAmI() {
  const api = useApi();
  const { adapter, state } = useAuth();
  const session = useQuery(consoleSessionQuery(api));
  const name =
    state.status === 'signed_in'
      ? state.user.name
      : (session.data?.actor?.actor ?? (session.isError ? 'session unavailable' : '…'));
  return (
    <div className="flex items-center gap-2 text-sm">
      <Link
        to="/session"
        className="max-w-40 truncate text-slate-700 hover:underline dark:text-slate-300"
        title="Session & security"
      >
        {name}
      </Link>
      {state.status === 'signed_in' ? (
        <Button variant="ghost" onClick={() => void adapter.logout()}>
          Sign out
        </Button>
      ) : null}
    </div>
  );
}

function PendingBadge() {
  const api = useApi();
  const pending = useQuery(pendingApprovalsQuery(api));
  if (!pending.data || pending.data.total === 0) return null;
  return (
    <span
      className="ml-auto rounded-full bg-amber-200 px-1.5 text-xs font-semibold text-amber-950"
      aria-label={`${pending.data.total} pending`}
    >
      {pending.data.total}
    </span>
  );
}

function Navigation() {
  const isNavOpen = useUiStore((s) => s.isNavOpen);
  const setNavOpen = useUiStore((s) => s.setNavOpen);
  return (
    <nav
      aria-label="Main"
      className={`${isNavOpen ? 'block' : 'hidden'} border-b border-slate-200 bg-slate-50 p-2 md:block md:w-52 md:shrink-0 md:border-r md:border-b-0 dark:border-slate-800 dark:bg-slate-900`}
    >
      <ul className="space-y-0.5">
        {NAV_ITEMS.map((item) => (
          <li key={item.to}>
            <NavLink
              to={item.to}
              end={item.to === '/' || item.to === '/policies'}
              onClick={() => {
                setNavOpen(false);
              }}
              className={({ isActive }) =>
                `flex items-center gap-2 rounded-md px-2 py-1.5 text-sm ${isActive ? 'bg-teal-700 font-medium text-white dark:bg-teal-700' : 'text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800'}`
              }
            >
              <span aria-hidden="true" className="w-4 text-center">
                {item.glyph}
              </span>
              {item.label}
              {item.to === '/approvals' ? <PendingBadge /> : null}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Toasts() {
  const toasts = useUiStore((s) => s.toasts);
  const dismiss = useUiStore((s) => s.dismissToast);
  return (
    <div
      aria-live="polite"
      className="fixed right-3 bottom-3 z-50 flex w-80 max-w-[calc(100vw-1.5rem)] flex-col gap-2"
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          role={toast.tone === 'error' ? 'alert' : 'status'}
          className={`flex items-start justify-between gap-2 rounded-md p-3 text-sm shadow-lg ${toast.tone === 'error' ? 'bg-red-700 text-white' : toast.tone === 'success' ? 'bg-emerald-700 text-white' : 'bg-slate-800 text-white'}`}
        >
          <span>{toast.text}</span>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => {
              dismiss(toast.id);
            }}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

export function Shell() {
  useThemeClass();
  useGlobalShortcuts();
  const { theme, setTheme, setPaletteOpen, isNavOpen, setNavOpen } = useUiStore();
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:p-2"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <ModeBanners />
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
        <Button
          variant="ghost"
          className="md:hidden"
          aria-expanded={isNavOpen}
          aria-label="Menu"
          onClick={() => {
            setNavOpen(!isNavOpen);
          }}
        >
          ☰
        </Button>
        <Link to="/" className="font-semibold tracking-tight">
          <span className="text-teal-700 dark:text-teal-400">CAVRA</span> console
        </Link>
        <Button
          variant="secondary"
          className="ml-auto text-slate-600 dark:text-slate-400"
          onClick={() => {
            setPaletteOpen(true);
          }}
        >
          <span>Search</span>
          <kbd className="hidden rounded border border-slate-300 px-1 text-xs sm:inline dark:border-slate-600">
            Ctrl K
          </kbd>
        </Button>
        <label className="sr-only" htmlFor="theme">
          Theme
        </label>
        <select
          id="theme"
          value={theme}
          onChange={(e) => {
            setTheme(e.target.value as Theme);
          }}
          className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
        <WhoAmI />
      </header>
      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        <Navigation />
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-3 outline-none md:p-5">
          <Outlet />
        </main>
      </div>
      <CommandPalette />
      <TourOverlay />
      <Toasts />
    </div>
  );
}
