/** App-global UI state (zustand): theme, the command palette, the mobile navigation, toasts. Never server data. */
import { create } from 'zustand';

export type Theme = 'system' | 'light' | 'dark';
export type Toast = { id: number; text: string; tone: 'info' | 'success' | 'error' };

type UiState = {
  theme: Theme;
  isPaletteOpen: boolean;
  isNavOpen: boolean;
  toasts: Toast[];
  setTheme: (theme: Theme) => void;
  setPaletteOpen: (isOpen: boolean) => void;
  setNavOpen: (isOpen: boolean) => void;
  toast: (text: string, tone?: Toast['tone']) => void;
  dismissToast: (id: number) => void;
};

const THEME_KEY = 'cavra.console.theme';

function storedTheme(): Theme {
  try {
    const value = window.localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

let nextToastId = 1;

export const useUiStore = create<UiState>()((set) => ({
  theme: storedTheme(),
  isPaletteOpen: false,
  isNavOpen: false,
  toasts: [],
  setTheme: (theme) => {
    try {
      window.localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Storage can be disabled; the theme then lasts for this page only.
    }
    set({ theme });
  },
  setPaletteOpen: (isPaletteOpen) => {
    set({ isPaletteOpen });
  },
  setNavOpen: (isNavOpen) => {
    set({ isNavOpen });
  },
  toast: (text, tone = 'info') => {
    const id = nextToastId++;
    set((state) => ({ toasts: [...state.toasts, { id, text, tone }] }));
    window.setTimeout(() => {
      set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }));
    }, 6000);
  },
  dismissToast: (id) => {
    set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }));
  },
}));
