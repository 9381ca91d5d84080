/** The sub-app factory every resource uses: an OpenAPI-aware Hono whose validation failures are 400s naming the field. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApprovalService } from './approvals/approval-service';
import type { ApiDeps } from './deps';
import { validationError } from './errors';
import type { EvidenceService } from './evidence/evidence-service';
import type { IdentityServices } from './identity/services';

/**
 * What route modules are built from: the deps (whose `auth` already checks agent tokens) and the services
 * made of them.
 */
export type ApiContext = {
  deps: ApiDeps;
  evidence: EvidenceService;
  identity: IdentityServices;
  approvals: ApprovalService;
};

/** A new resource router. */
export function createRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(validationError(result.error, result.target), 400);
      return undefined;
    },
  });
}
