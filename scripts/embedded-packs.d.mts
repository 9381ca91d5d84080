import type { Plugin } from 'esbuild';

export function packTextHash(text: string): string;
export function embeddedPackTable(root: string): Promise<Record<string, string>>;
export function embeddedPacks(root: string): Plugin;
