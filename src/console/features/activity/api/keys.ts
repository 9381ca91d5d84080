export type DecisionFilters = {
  session_id: string;
  agent_id: string;
  repository: string;
  policy_pack: string;
  decision: string;
  severity: string;
  action_type: string;
};

export type SessionFilters = { agent_id: string; repository: string; policy_pack: string; state: string };

export const activityKeys = {
  all: ['activity'] as const,
  decisions: (filters: DecisionFilters) => ['decisions', 'list', filters] as const,
  sessions: (filters: SessionFilters) => ['sessions', 'list', filters] as const,
  session: (id: string) => ['sessions', 'detail', id] as const,
};
