/**
 * Lexical path normalisation for the file guard. No I/O: symlinks are not resolved.
 *
 * - `.` segments, repeated and trailing slashes are dropped (as upstream's Python `PurePath`).
 * - `..` is resolved lexically (upstream keeps it, which lets `src/../.env` slip past `.env`).
 * - An absolute path under the workspace root becomes relative to it (`/repo/.env` → `.env`).
 * - `~` and `~/x` expand to the home directory when one is known; otherwise they stay as written.
 */
export function normalizePath(input: string, workspaceRoot?: string, homeDir?: string): string {
  let path = input.trim();
  if (homeDir !== undefined && (path === '~' || path.startsWith('~/'))) {
    path = homeDir + path.slice(1);
  }
  const absolute = path.startsWith('/');
  const segments = collapseSegments(path, absolute);
  const joined = (absolute ? '/' : '') + segments.join('/');
  if (absolute && workspaceRoot !== undefined && workspaceRoot.startsWith('/')) {
    const root = '/' + collapseSegments(workspaceRoot, true).join('/');
    if (joined === root) return '.';
    const prefix = root === '/' ? '/' : root + '/';
    if (joined.startsWith(prefix)) return joined.slice(prefix.length);
  }
  if (joined === '') return absolute ? '/' : '.';
  return joined;
}

function collapseSegments(path: string, absolute: boolean): string[] {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      const last = out[out.length - 1];
      if (last !== undefined && last !== '..') out.pop();
      // INVARIANT: `/..` is `/`; a relative path may climb above its start (`../x`), which we keep.
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(segment);
  }
  return out;
}

/** The last path segment (`a/b/c.pem` → `c.pem`). */
export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/**
 * The path as upstream reports it in `decision.target` (Python `str(PurePosixPath(x))`): `.` segments and
 * repeated or trailing slashes dropped, `..` kept, absolute paths left absolute.
 */
export function displayPath(input: string): string {
  const absolute = input.startsWith('/');
  const segments = input.split('/').filter((segment) => segment !== '' && segment !== '.');
  const joined = (absolute ? '/' : '') + segments.join('/');
  if (joined === '') return absolute ? '/' : '.';
  // Python keeps a leading `//` (POSIX allows it to mean something else); nobody relies on it here.
  return joined;
}
