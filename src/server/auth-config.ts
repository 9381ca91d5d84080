/**
 * Reads `CAVRA_APPROVAL_OIDC_CONFIG` (a JSON or YAML file, or inline JSON) and `CAVRA_APPROVAL_RBAC_FILE`
 * (JSON or YAML) for the server. `jwks_path` is read here, relative to the config file. Any problem is a
 * message naming the variable and the field: the server refuses to start rather than run with less
 * protection than the operator configured.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  parseOidcConfig,
  parseRbacConfig,
  type ConsoleOidcClient,
  type OidcConfig,
  type RbacConfig,
} from '../api';

/** Identity settings: absent means demo mode. */
export type AuthSettings = {
  oidc: OidcConfig;
  /** Where the OIDC configuration came from (for the start-up line). */
  oidcSource: string;
  rbac: RbacConfig | undefined;
  rbacSource: string | undefined;
  /** The console's sign-in client (`CAVRA_CONSOLE_OIDC_CLIENT_ID` …); absent: the console cannot sign in. */
  console: ConsoleOidcClient | undefined;
};

/** Scopes the console asks for when `CAVRA_CONSOLE_OIDC_SCOPES` does not say. */
export const DEFAULT_CONSOLE_SCOPES = ['openid', 'profile', 'email'];

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

/** The identity settings from the environment, `undefined` without OIDC, or the reason to refuse to start. */
export function readAuthSettings(
  env: Record<string, string | undefined>,
  cwd: string,
): Read<AuthSettings | undefined> {
  const oidcValue = env['CAVRA_APPROVAL_OIDC_CONFIG']?.trim() ?? '';
  const rbacValue = env['CAVRA_APPROVAL_RBAC_FILE']?.trim() ?? '';
  const consoleClientId = env['CAVRA_CONSOLE_OIDC_CLIENT_ID']?.trim() ?? '';
  if (oidcValue === '') {
    if (consoleClientId !== '') {
      return {
        ok: false,
        message:
          'CAVRA_CONSOLE_OIDC_CLIENT_ID is set without CAVRA_APPROVAL_OIDC_CONFIG: the API would not verify the tokens the console signs in for. Configure OIDC too, or unset it to run in demo mode',
      };
    }
    if (rbacValue === '') return { ok: true, value: undefined };
    return {
      ok: false,
      message:
        'CAVRA_APPROVAL_RBAC_FILE is set without CAVRA_APPROVAL_OIDC_CONFIG: RBAC grants permissions to verified actors, and without OIDC there are none. Configure OIDC too, or unset it to run in demo mode',
    };
  }
  const oidc = readOidc(oidcValue, cwd);
  if (!oidc.ok) return oidc;
  let rbac: RbacConfig | undefined;
  if (rbacValue !== '') {
    const path = resolve(cwd, rbacValue);
    const document = readDocument(path, 'CAVRA_APPROVAL_RBAC_FILE');
    if (!document.ok) return document;
    const parsed = parseRbacConfig(document.value);
    if (!parsed.ok)
      return { ok: false, message: issuesMessage('CAVRA_APPROVAL_RBAC_FILE', path, parsed.issues) };
    rbac = parsed.config;
  }
  const consoleClient = readConsoleClient(env, consoleClientId, oidc.value.config.issuer);
  if (!consoleClient.ok) return consoleClient;
  return {
    ok: true,
    value: {
      oidc: oidc.value.config,
      oidcSource: oidc.value.source,
      rbac,
      rbacSource: rbac === undefined ? undefined : resolve(cwd, rbacValue),
      console: consoleClient.value,
    },
  };
}

/**
 * The console's public client: `CAVRA_CONSOLE_OIDC_CLIENT_ID`, `CAVRA_CONSOLE_OIDC_SCOPES` (space or comma
 * separated; default `openid profile email`) and `CAVRA_CONSOLE_OIDC_EXTRA_PARAMS` (a query string added to the
 * authorization request, e.g. `resource=https://cavra.example.com/api` for RFC 8707 or `audience=…` for Auth0).
 */
function readConsoleClient(
  env: Record<string, string | undefined>,
  clientId: string,
  issuer: string,
): Read<ConsoleOidcClient | undefined> {
  const scopesValue = env['CAVRA_CONSOLE_OIDC_SCOPES']?.trim() ?? '';
  const paramsValue = env['CAVRA_CONSOLE_OIDC_EXTRA_PARAMS']?.trim() ?? '';
  if (clientId === '') {
    const stray = [
      scopesValue !== '' && 'CAVRA_CONSOLE_OIDC_SCOPES',
      paramsValue !== '' && 'CAVRA_CONSOLE_OIDC_EXTRA_PARAMS',
    ].filter((name): name is string => typeof name === 'string');
    if (stray.length === 0) return { ok: true, value: undefined };
    return {
      ok: false,
      message: `${stray.join(' and ')} set without CAVRA_CONSOLE_OIDC_CLIENT_ID: name the console's client too`,
    };
  }
  const scopes =
    scopesValue === '' ? [...DEFAULT_CONSOLE_SCOPES] : scopesValue.split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid')) {
    return {
      ok: false,
      message: "CAVRA_CONSOLE_OIDC_SCOPES must include 'openid' (the console signs users in)",
    };
  }
  const params = new URLSearchParams(paramsValue.replace(/^\?/, ''));
  const extra: Record<string, string> = {};
  for (const [name, value] of params) {
    if (
      ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'nonce'].includes(
        name,
      )
    ) {
      return {
        ok: false,
        message: `CAVRA_CONSOLE_OIDC_EXTRA_PARAMS may not set '${name}': the console sets it for each sign-in`,
      };
    }
    extra[name] = value;
  }
  return { ok: true, value: { issuer, client_id: clientId, scopes, extra_query_params: extra } };
}

function readOidc(value: string, cwd: string): Read<{ config: OidcConfig; source: string }> {
  const isInline = value.startsWith('{');
  const source = isInline ? 'inline JSON' : resolve(cwd, value);
  let document: unknown;
  if (isInline) {
    try {
      document = JSON.parse(value);
    } catch (error) {
      return {
        ok: false,
        message: `CAVRA_APPROVAL_OIDC_CONFIG is not valid JSON: ${(error as Error).message}`,
      };
    }
  } else {
    const read = readDocument(source, 'CAVRA_APPROVAL_OIDC_CONFIG');
    if (!read.ok) return read;
    document = read.value;
  }
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    const fields = document as Record<string, unknown>;
    const jwksPath = fields['jwks_path'];
    if (typeof jwksPath === 'string') {
      const path = resolve(isInline ? cwd : dirname(source), jwksPath);
      const jwks = readDocument(path, 'CAVRA_APPROVAL_OIDC_CONFIG jwks_path');
      if (!jwks.ok) return jwks;
      const { jwks_path: _path, ...rest } = fields;
      document = { ...rest, jwks: jwks.value };
    }
  }
  const parsed = parseOidcConfig(document);
  if (!parsed.ok)
    return { ok: false, message: issuesMessage('CAVRA_APPROVAL_OIDC_CONFIG', source, parsed.issues) };
  return { ok: true, value: { config: parsed.config, source } };
}

function readDocument(path: string, name: string): Read<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      ok: false,
      message: `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  try {
    return { ok: true, value: /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      message: `${name}: ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    };
  }
}

function issuesMessage(name: string, source: string, issues: { field: string; message: string }[]): string {
  const list = issues.map((issue) => `field '${issue.field}' ${issue.message}`).join('; ');
  return `${name} (${source}) is invalid: ${list}`;
}
