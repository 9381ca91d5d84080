/** Help texts of the agent integrations (`hook`, `init`, `agent exec`, `daemon`); docs/integrations/. */

const AGENT_FLAGS = `  -p, --policy-pack <id>       pack to decide with (default: cavra-ai-agent-baseline)
  -m, --policy-mode <mode>     enforce (default), audit_only, strict or break_glass
      --policy <file>          extra pack file; becomes the default pack
      --registry <file.json>   MCP trust registry to judge MCP calls with
      --record                 record the decision in the local evidence store (the API records its own)
      --db <url|path>          where --record writes (default: $CAVRA_DATABASE_URL, else .cavra/cavra.db)
      --approvals local|remote local (default): require_approval asks the person at the keyboard; remote:
                               opens an approval on the API (CAVRA_API_URL, CAVRA_API_TOKEN) and waits
      --approval-timeout <s>   how long remote approvals are waited for (default 300, $CAVRA_APPROVAL_TIMEOUT)
      --on-error deny|ask      the answer when no decision can be made (default deny, $CAVRA_HOOK_ON_ERROR)
      --socket <path>          daemon socket (default $CAVRA_DAEMON_SOCKET, else .cavra/daemon.sock)
      --no-daemon              decide in this process even when a daemon socket exists`;

export const HOOK_HELP = `usage: cavra hook claude-code [options] < event.json
       cavra hook cursor [options] < event.json

answer one agent hook event (read from stdin) on stdout, exit 0.
claude-code: a PreToolUse event; Bash → execute_command, Read/Grep/Glob → read_file,
  Write/Edit/MultiEdit/NotebookEdit → write_file, mcp__<server>__<tool> → mcp_tool_call, other tools →
  claude_code.<tool>. answers {"hookSpecificOutput": {"permissionDecision": allow|deny|ask, …}}.
cursor: beforeShellExecution, beforeMCPExecution, beforeReadFile; answers {"permission", "user_message",
  "agent_message"} (and the camelCase spellings).

decisions come from the API when CAVRA_API_URL is set (it records them), else from the daemon when its
socket exists, else from this process. block → deny, require_approval → ask (or remote approval), any
error → deny (fail closed; --on-error ask to ask instead). never allow on error.

options:
${AGENT_FLAGS}

set up: cavra init claude-code | cavra init cursor
`;

export const INIT_HELP = `usage: cavra init claude-code [--command <cmd>] [--dry-run]
       cavra init cursor [--command <cmd>] [--dry-run]

register the cavra hook in this project:
  claude-code  merges a PreToolUse hook into .claude/settings.json (other settings and hooks are kept;
               running it again changes nothing)
  cursor       merges beforeShellExecution, beforeMCPExecution and beforeReadFile hooks into
               .cursor/hooks.json (version 1)

options:
      --command <cmd>   the command that starts cavra (default: node <path to this cavra>/bin/cavra.mjs)
      --hook-args <a>   extra arguments for the hook (default: --record)
      --dry-run         print the file that would be written, write nothing
`;

export const AGENT_HELP = `usage: cavra agent exec [options] -- <command> [args…]

evaluate a command as execute_command and run it only when it is allowed (stdin, stdout and stderr
are inherited). a single argument is run by /bin/sh -c; several are run directly.

exit codes: the command's own exit code when it ran (128+n when killed by signal n), 126 blocked,
125 approval required (not granted) or the evaluation failed, 2 usage errors.

options:
${AGENT_FLAGS}
`;

export const DAEMON_HELP = `usage: cavra daemon start [options]
       cavra daemon status [--socket <path>] [--json]
       cavra daemon stop [--socket <path>]
       cavra daemon run [options]            the daemon in the foreground (what start launches)
       cavra daemon verify <stream.jsonl> [--key-file <f> --key-id <id>] [--json]

the engine behind a Unix socket: newline-delimited JSON requests (the decision request fields, plus
runner_auth when required) answered with decisions; {"op":"status"} answers the daemon's status. a
request that is malformed, unauthenticated or cannot be decided is answered with a block.

options of start and run:
      --socket <path>              socket (default $CAVRA_DAEMON_SOCKET, else .cavra/daemon.sock)
      --pid-file <path>            pid file (default .cavra/daemon.pid)
      --evidence-log <path>        evidence stream (cavra.go-daemon.evidence.v1; default
                                   .cavra/daemon-evidence.jsonl; --no-evidence to keep none)
      --evidence-key-file <f>      HMAC key signing the stream ($CAVRA_DAEMON_EVIDENCE_KEY_FILE)
      --evidence-key-id <id>       its key id (default daemon-hmac)
      --runner-key-file <f>        require runners to sign requests with this HMAC key …
      --runner-key-id <id>         … under this key id
      --runner-oidc-issuer <url>   accept CI OIDC tokens from this issuer …
      --runner-oidc-audience <a>   … for this audience …
      --runner-oidc-jwks <url|f>   … verified against this JWKS (URL, or a JSON file)
  -p, --policy-pack <id>           default pack; --policy <file>, --registry <file> as for evaluate

exit codes: 0 ok (status: running), 1 status: not running / verify: invalid, 2 usage errors.
`;
