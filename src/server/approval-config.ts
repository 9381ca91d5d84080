/**
 * The server's approval settings from the environment: the routing file (`CAVRA_APPROVAL_ROUTING_FILE`), the
 * notification providers (`CAVRA_APPROVAL_PROVIDER_CONFIG`, upstream's name) and the expiry sweep interval
 * (`CAVRA_APPROVAL_SWEEP_SECONDS`). A file that cannot be read or is invalid stops the server with every problem
 * listed: running with other routing or without the notifications the operator configured would be silent.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  parseNotificationConfig,
  parseRoutingDocument,
  type ApprovalRouting,
  type NotificationConfig,
} from '../api';

/** What the server passes to the API (`ApiDeps.approvals`) and how often it sweeps expired approvals. */
export type ApprovalSettings = {
  /** The routing file's rules (plus the defaults unless it replaces them); absent: the defaults. */
  routing?: ApprovalRouting;
  /** Notification providers; absent: no notifications. */
  notifications?: NotificationConfig;
  /** Seconds between expiry sweeps. */
  sweepSeconds: number;
};

/** Default seconds between expiry sweeps. */
export const DEFAULT_SWEEP_SECONDS = 60;

/** Reads and validates the approval settings; a message naming the variable, file and fields otherwise. */
export function readApprovalSettings(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): { ok: true; value: ApprovalSettings } | { ok: false; message: string } {
  const settings: ApprovalSettings = { sweepSeconds: DEFAULT_SWEEP_SECONDS };
  const sweep = env['CAVRA_APPROVAL_SWEEP_SECONDS']?.trim();
  if (sweep !== undefined && sweep !== '') {
    const value = Number(sweep);
    if (!/^\d+$/.test(sweep) || value < 1 || value > 86_400) {
      return {
        ok: false,
        message: `CAVRA_APPROVAL_SWEEP_SECONDS must be a whole number from 1 to 86400, got '${sweep}'`,
      };
    }
    settings.sweepSeconds = value;
  }
  const routingFile = read(env, 'CAVRA_APPROVAL_ROUTING_FILE', cwd);
  if (routingFile === null) return missing(env, 'CAVRA_APPROVAL_ROUTING_FILE', cwd);
  if (routingFile !== undefined) {
    const parsed = parseRoutingDocument(routingFile.text, routingFile.path);
    if (!parsed.ok) return invalid('CAVRA_APPROVAL_ROUTING_FILE', routingFile.path, parsed.errors);
    settings.routing = parsed.routing;
  }
  const providerFile = read(env, 'CAVRA_APPROVAL_PROVIDER_CONFIG', cwd);
  if (providerFile === null) return missing(env, 'CAVRA_APPROVAL_PROVIDER_CONFIG', cwd);
  if (providerFile !== undefined) {
    const parsed = parseNotificationConfig(providerFile.text, providerFile.path, env);
    if (!parsed.ok) return invalid('CAVRA_APPROVAL_PROVIDER_CONFIG', providerFile.path, parsed.errors);
    settings.notifications = parsed.config;
  }
  return { ok: true, value: settings };
}

/** The file a variable names (undefined: not set; null: unreadable). */
function read(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  cwd: string,
): { path: string; text: string } | null | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  const path = resolve(cwd, value);
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch {
    return null;
  }
}

function missing(env: Readonly<Record<string, string | undefined>>, name: string, cwd: string) {
  const path = resolve(cwd, env[name]?.trim() ?? '');
  return {
    ok: false as const,
    message: `${name} names ${path}, which cannot be read: fix the path or unset it`,
  };
}

function invalid(name: string, path: string, errors: readonly string[]) {
  return {
    ok: false as const,
    message: `${name} (${path}) is invalid:\n${errors.map((error) => `  - ${error}`).join('\n')}`,
  };
}

/** One start-up line describing the approval settings. */
export function approvalLine(settings: ApprovalSettings): string {
  const routing =
    settings.routing === undefined
      ? 'default routing rules'
      : `routing ${settings.routing.source ?? ''} (${settings.routing.rules.length} rules${settings.routing.replacesDefaults ? ', defaults replaced' : ' incl. defaults'})`;
  const notifications =
    settings.notifications === undefined
      ? 'no notifications'
      : `notifications to ${settings.notifications.providers.map((p) => p.provider).join(', ')}`;
  return `  approvals ${routing}; ${notifications}; expiry sweep every ${settings.sweepSeconds} s`;
}
