/** An action as a person reads it: "Run a command", "Read a file", "Call an MCP tool" and the thing acted on. */
import type { Decision } from './api-types';

export type ActionDescription = { verb: string; object: string; detail: string | null };

export function describeAction(
  decision: Pick<Decision, 'action_type' | 'target' | 'requested_operation'>,
): ActionDescription {
  const { action_type: type, target, requested_operation: operation } = decision;
  switch (type) {
    case 'execute_command':
      return { verb: 'Run a command', object: target, detail: null };
    case 'read_file':
      return { verb: 'Read a file', object: target, detail: null };
    case 'write_file':
      return { verb: 'Write a file', object: target, detail: null };
    case 'git_operation':
      return { verb: `git ${operation || 'push'}`, object: target, detail: null };
    case 'mcp_tool_call': {
      const [server, ...tool] = target.split(':');
      return {
        verb: 'Call an MCP tool',
        object: tool.length > 0 ? `${tool.join(':')} on server ${server ?? ''}` : target,
        detail: operation && operation !== target ? `capability or operation: ${operation}` : null,
      };
    }
    case 'pull_request':
      return { verb: 'Open a pull request', object: target, detail: null };
    case 'release_governance_record':
      return { verb: 'Record a release-governance step', object: target, detail: null };
    default:
      return {
        verb: type.includes('.') ? `Generic action ${type}` : type,
        object: target,
        detail: operation && operation !== target ? operation : null,
      };
  }
}
