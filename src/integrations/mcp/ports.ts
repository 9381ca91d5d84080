/**
 * What the MCP server and gateway need from their host (the CLI): deciding, rendering, the pack catalogue and
 * the evidence store. Passed in, so this layer never reads policy folders or opens databases itself.
 */
import type { Decision, DecisionRequest, JsonObject, McpRegistry, Result } from '../../engine';
import type { ApprovalRecord, SessionRecord } from '../../store';

/** Decides one request; `registry`, when given, judges MCP calls instead of the pack's server lists. */
export type Decider = (request: DecisionRequest, registry?: McpRegistry) => Result<Decision>;

/** Human text of a decision (plain, no colour): a summary, and the full explanation. */
export type DecisionRenderer = {
  summary: (decision: Decision) => string;
  explanation: (decision: Decision) => string;
};

/** A value, or a message the caller can act on. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** The packs the server can decide with. */
export interface PackCatalog {
  /** One summary per pack (id, title, version, inherits, revision, rule counts …), sorted by id. */
  list(): JsonObject[];
  /** A pack's metadata and merged document. */
  describe(packId: string): Checked<JsonObject>;
  /** Checks a pack document (YAML or JSON text) against the schema and its inheritance. */
  validate(source: string, fileName: string): JsonObject;
}

/**
 * The evidence store as the MCP integrations use it. `recordDecision` stores the decision and appends its
 * `decision` entry; `recordEvent` appends an `operations` entry (what became of a gateway call).
 */
export interface EvidenceSink {
  /** Where the evidence goes, for messages (`.cavra/cavra.db`, a redacted URL). */
  readonly label: string;
  recordDecision(decision: Decision): Promise<void>;
  recordEvent(payload: JsonObject): Promise<void>;
  /** A decision stored earlier, or null. */
  getDecision(decisionId: string): Promise<Decision | null>;
  /** A session's stored summary, or null. */
  getSession(sessionId: string): Promise<SessionRecord | null>;
}

/** Where approvals live: the local store, or the CAVRA API. */
export interface ApprovalBroker {
  /** Where approvals go, for messages. */
  readonly label: string;
  /** Creates a pending approval for a `require_approval` decision. */
  request(decision: Decision, context: ApprovalContext): Promise<ApprovalRecord>;
  /** The approval's current record, or null when it is unknown. */
  get(approvalId: string): Promise<ApprovalRecord | null>;
}

/** What the gateway adds to an approval request: the call it is about. */
export type ApprovalContext = {
  server: string;
  tool: string;
  /** SHA-256 of the canonical call (server, tool, arguments), so an approval covers exactly one call. */
  call_fingerprint: string;
  requested_by: string;
  ttl_hours: number;
};
