/** The console's pages, for the navigation and the command palette. */
export type NavItem = { to: string; label: string; glyph: string; keywords: string };

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Overview', glyph: '◉', keywords: 'home dashboard counts chart' },
  { to: '/activity/decisions', label: 'Activity', glyph: '≡', keywords: 'decisions sessions table' },
  { to: '/approvals', label: 'Approvals', glyph: '‖', keywords: 'inbox approve deny pending' },
  { to: '/evidence', label: 'Evidence', glyph: '▣', keywords: 'log verify proof bundle checkpoint' },
  { to: '/registry', label: 'Registry', glyph: '⌘', keywords: 'agents mcp servers profiles classifications' },
  { to: '/policies', label: 'Policies', glyph: '§', keywords: 'packs catalog rules' },
  { to: '/policies/playground', label: 'Playground', glyph: '▷', keywords: 'evaluate try command' },
  {
    to: '/scenarios',
    label: 'Run scenario',
    glyph: '▶',
    keywords: 'demo agent scenario before the agent acts closeout',
  },
  {
    to: '/session',
    label: 'Session & security',
    glyph: '◎',
    keywords: 'who am i groups permissions boundary oidc',
  },
];

/** Pages reachable from the palette but not the sidebar. */
export const EXTRA_PAGES: readonly NavItem[] = [
  { to: '/activity/sessions', label: 'Activity: sessions', glyph: '≡', keywords: 'sessions' },
  { to: '/approvals/break-glass', label: 'Break glass', glyph: '⚠', keywords: 'emergency cab' },
  { to: '/tour', label: 'Presenter mode', glyph: '◧', keywords: 'tour demo script guided presenter' },
];
