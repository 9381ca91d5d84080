/**
 * The API layer's public entry (issue 4): `createApp(deps)` builds the Hono app the server and the sandbox
 * run; the auth port and its demo adapter; the evidence and approval services (routing and notification
 * configuration included); the demo seed. Web-standard only (no Node).
 */
export { API_PREFIX, CavraApp, MAX_BODY_BYTES, createApp } from './app';
export {
  AGENT_TOKEN_PREFIX,
  DEMO_GROUPS,
  createDemoAuth,
  createOidcAuth,
  type AgentBinding,
  type OidcAuthOptions,
  type Actor,
  type AuthAdapter,
  type AuthMode,
  type AuthOutcome,
  type DemoAuthOptions,
  type Principal,
  type RepositoryPermission,
} from './auth';
export { parseOidcConfig, OIDC_ALGORITHMS, type OidcConfig } from './identity/oidc-config';
export { parseRbacConfig, type RbacConfig } from './identity/rbac';
export {
  webRandomHex12,
  type ApiConfig,
  type ApiDeps,
  type ConsoleOidcClient,
  type EvidenceSigner,
} from './deps';
export {
  ApprovalService,
  DEFAULT_TTL_HOURS,
  MAX_BREAK_GLASS_TTL_HOURS,
  sweepExpiredApprovals,
  type ApprovalDeps,
  type SweepReport,
} from './approvals/approval-service';
export type { Approval, ApprovalDecision, HistoryEntry, HistoryEvent } from './approvals/approval-record';
export {
  BREAK_GLASS_GROUP,
  BREAK_GLASS_REVIEW_GROUPS,
  canBreakGlass,
  canDecideApproval,
  canReviewBreakGlass,
  type ApprovalAction,
} from './approvals/permissions';
export {
  DEFAULT_APPROVAL_ROUTING,
  parseRoutingDocument,
  type ApprovalRouting,
  type RoutingParseResult,
} from './approvals/routing';
export { ApprovalNotifier, type DeliveryResult } from './notifications/notifier';
export {
  parseNotificationConfig,
  type NotificationConfig,
  type NotificationConfigResult,
} from './notifications/provider-config';
export { ApiError, errorBody, type ErrorBody, type ErrorStatus, type FieldIssue } from './errors';
export { EvidenceService, type BundleArchive, type LogVerification } from './evidence/evidence-service';
export { seedDemoData, type SeedOptions, type SeedReport, type SeedTarget } from './seed/demo-seed';
export { DEMO_SESSIONS, type ScriptedAction, type ScriptedSession } from './seed/demo-script';
