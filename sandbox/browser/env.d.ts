/** Build-time constants (sandbox/vite.config.ts `define`). */
declare const __CAVRA_VERSION__: string;

/** The bundled packs, parsed at build time (sandbox/node/vite-plugins.ts): engine `ParsedPackSource`s. */
declare module 'virtual:cavra-parsed-packs' {
  export const PARSED_PACKS: readonly unknown[];
}
