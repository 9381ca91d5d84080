/**
 * MCP integrations: `cavra mcp serve` (decision tools over MCP) and `cavra mcp gateway` (an enforcing proxy in
 * front of downstream MCP servers). Hosts pass in deciding, rendering, evidence and approvals (./ports).
 */
export { createCheckServer, CHECK_TOOL_NAMES, type CheckServerOptions } from './check-server';
export { McpGateway, type GatewayOptions } from './gateway';
export { GATEWAY_META_KEY, fingerprint, strictest, type CallOutcome } from './gateway-results';
export { parseGatewayConfig, type GatewayConfig, type DownstreamConfig } from './gateway-config';
export { apiApprovals, apiEndpoint, type ApiTarget } from './api-approvals';
export { storeApprovals, storeEvidence, newApproval, DEFAULT_APPROVAL_TTL_HOURS } from './store-evidence';
export type {
  ApprovalBroker,
  ApprovalContext,
  Checked,
  Decider,
  DecisionRenderer,
  EvidenceSink,
  PackCatalog,
} from './ports';
