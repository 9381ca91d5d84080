/**
 * The Node server (issue 4): `startServer` runs the API and the console on one port over the database the
 * configuration names. Node only; the CLI's `cavra serve` calls it.
 */
export { DEFAULTS, describeDatabase, readServerConfig, type ServeFlags, type ServerConfig } from './config';
export { consoleApp, isConsoleBuilt } from './console-static';
export { KEY_FILES, loadSigningKey, type KeyOptions, type KeySource, type LoadedKey } from './keys';
export { startServer, type RunningServer, type ServeOptions } from './serve';
