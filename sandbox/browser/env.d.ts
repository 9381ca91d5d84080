/** Build-time constants (sandbox/vite.config.ts `define`). */
declare const __CAVRA_VERSION__: string;
