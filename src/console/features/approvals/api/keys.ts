export type ApprovalFilters = { state: string; approver_group: string; review_state: string };

export const approvalKeys = {
  all: ['approvals'] as const,
  list: (filters: ApprovalFilters) => ['approvals', 'list', filters] as const,
  stateTotal: (state: string) => ['approvals', 'total', state] as const,
  detail: (id: string) => ['approvals', 'detail', id] as const,
};
