/** Help texts. Kept in one place so `--help` and docs/cli.md say the same thing. */

export const MAIN_HELP = `cavra: runtime authority for AI coding agents

usage: cavra <command> [options]

commands:
  evaluate <action_type> <target>   decide one action (read_file, write_file, execute_command,
                                    git_operation, mcp_tool_call, pull_request, …)
  evaluate --input <file|->         decide a request or an array of requests from JSON
  policy list                       list the packs that can be used
  policy describe <id>              show a pack: metadata, inheritance, rules, tests
  policy validate <path>            check a policy.yaml or a folder of packs
  policy compile <id>               print a pack merged with its parents (and overlays) as JSON
  policy test [<id>]                run the packs' inline tests
  policy explain <action_type> <target>
                                    decide one action and show every rule that contributed
  evidence <subcommand>             keys, checkpoints, proofs, verification, session bundles, SIEM exports
                                    of the evidence log (cavra evidence --help)
  serve                             run the API and the console on one port (npm start)
  mcp serve                         MCP server (stdio) whose tools check commands, files, git, MCP calls
  mcp gateway --config <file>       MCP gateway (stdio) enforcing policy on downstream MCP servers
  hook claude-code|cursor           answer an agent's hook event (stdin) with allow, deny or ask
  init claude-code|cursor           register the cavra hook in .claude/settings.json or .cursor/hooks.json
  agent exec -- <command…>          run a command only when it is allowed (exit 126 blocked)
  daemon start|status|stop          the engine behind a Unix socket, with its own evidence stream

options:
  -h, --help      show help (also: cavra <command> --help)
  -v, --version   print the version

exit codes: 0 evaluated (whatever the decision) or ok, 1 validation, test or verification failures,
2 usage errors, 3 evaluated but not recorded (evaluate --record).
packs are read from $CAVRA_POLICY_DIR, ./policies, then the bundled policies/ folder.
docs: docs/cli.md
`;

const DECISION_FLAGS = `  -p, --policy-pack <id>       pack to decide with (default: cavra-ai-agent-baseline)
  -m, --policy-mode <mode>     enforce (default), audit_only, strict or break_glass
      --break-glass-actor <a>  who invokes break glass (break_glass mode)
      --break-glass-reason <r> why (break_glass mode)
      --operation <verb>       git_operation only: the git verb (default: push)
      --server <id>            mcp_tool_call only: the MCP server (instead of <target>)
      --tool <name>            mcp_tool_call only: the tool (default: unknown)
      --capability <name>      mcp_tool_call only: the capability (default: filesystem)
      --registry <file.json>   MCP trust registry {"mcp_servers": […]} to judge MCP calls with
      --policy <file>          extra pack file (YAML or JSON, e.g. a compiled policy); becomes the default pack
      --cwd <dir>              workspace root for resolving absolute paths (default: current directory)
      --json                   print JSON instead of a summary`;

export const EVALUATE_HELP = `usage: cavra evaluate <action_type> <target> [options]
       cavra evaluate --input <file|-> [options]

decide whether an agent may perform an action. the decision is printed; the exit code is 0 whatever
the decision (block included), 2 for usage errors, 3 when --record could not record it.

  <action_type>   read_file, write_file, execute_command, git_operation, mcp_tool_call, pull_request,
                  release_governance_record, or a dotted generic type (crm.update_record)
  <target>        the path, the command (quote it), the ref for git_operation (push), or the MCP server

options:
  -i, --input <file|->         read a request object or an array of requests (JSON) from a file or stdin;
                               prints a decision or an array of decisions in the same order. flags give
                               defaults; a request's own policy_pack, policy_mode and cwd win. a request
                               that cannot be decided gets {"error": {"code", "message"}} and the run exits 2
      --record                 also store the decisions and append them to the evidence log, in one unit of
                               work; signs a checkpoint when one is due (1,000 entries or an hour) and the
                               key of 'cavra evidence keygen' exists. if recording fails, the decisions are
                               still printed, and the run says so on stderr and exits 3
      --db <url|path>          where --record writes: a SQLite file or a postgres:// URL
                               (default: $CAVRA_DATABASE_URL, else .cavra/cavra.db)
      --daemon                 ask the running daemon (cavra daemon start) instead of loading the packs here;
                               signs with the runner identity from CAVRA_RUNNER_* when set
      --socket <path>          the daemon's socket (default: $CAVRA_DAEMON_SOCKET, else .cavra/daemon.sock)
${DECISION_FLAGS}

with --policy-mode other than enforce, --json prints upstream's policy-mode summary
(cavra.policy-mode-summary.v1); with --input, --json always prints decisions.

examples:
  cavra evaluate read_file .env
  cavra evaluate execute_command 'terraform plan && terraform apply -auto-approve' --json
  cavra evaluate git_operation origin/main
  cavra evaluate mcp_tool_call github-mcp --tool create_pull_request --capability repository \\
      --registry registry.json
  cavra evaluate --input requests.json --json
  cavra evaluate --input requests.json --record --db .cavra/cavra.db
`;

export const EXPLAIN_HELP = `usage: cavra policy explain <action_type> <target> [options]

decide one action and explain it: every rule that matched (pattern, pack, segment or path), every
simple command of a shell command with its own decision, and the record ids. --json prints the decision.

options:
${DECISION_FLAGS}

example:
  cavra policy explain execute_command 'cd infra && sudo terraform apply' -p cavra-terraform-prod
`;

export const POLICY_HELP = `usage: cavra policy <subcommand> [options]

subcommands:
  list                         table of packs (id, version, inherits, rule and test counts); --json
  describe <id>                metadata, inheritance chain, rules by section, tests, revision; --json
  validate <path>              check a policy.yaml or a folder of packs against the schema;
                               prints 'valid <id>' or file:line:column: message; exit 1 on errors
  compile <id> [--overlay <file>]…
                               print the merged, normalised pack as JSON; exit 1 if invalid
  test [<id>]                  run the inline tests of one pack or all packs; exit 1 on a failure
  explain <action_type> <target> [options]
                               decide one action and show every rule that contributed

run 'cavra policy <subcommand> --help' for its options.
`;

export const POLICY_SUBCOMMAND_HELP = {
  list: `usage: cavra policy list [--json]

list the packs visible from $CAVRA_POLICY_DIR, ./policies and the bundled policies/ folder, with their
rule counts. packs that failed to load are reported on stderr.
`,
  describe: `usage: cavra policy describe <id> [--json]

show a pack: metadata, revision, source file, inheritance chain, every rule by section (with the pack that
declared it when inherited), git and MCP settings, and the number of inline tests.
`,
  validate: `usage: cavra policy validate <path>

check a pack file (policy.yaml, or any YAML/JSON pack) or a folder of packs (<dir>/<id>/policy.yaml)
against the pack schema, including inheritance. prints 'valid <id>' per pack, and problems as
file:line:column: message (warnings as file:line:column: warning: message). exit 1 on errors.
`,
  compile: `usage: cavra policy compile <id> [--overlay <file>]…

print the pack merged with its parents and then with each overlay (lists concatenated, de-duplicated and
sorted, as upstream), as JSON. the output can be given back with --policy. exit 1 if invalid.
`,
  test: `usage: cavra policy test [<id>]

run the inline tests (tests: section) of one pack, or of every pack. prints PASS or FAIL per test with
what differed, then 'N passed, N failed'. exit 1 on any failure.
`,
} as const;

export const MCP_HELP = `usage: cavra mcp <subcommand> [options]

subcommands:
  serve                        an MCP server over stdio whose tools ask CAVRA before the agent acts
                               (check_command, check_file_read, check_file_write, check_git_operation,
                               check_mcp_tool_call, explain_decision, policy_list, session_summary …)
  gateway --config <file>      an MCP server over stdio in front of downstream MCP servers: every tools/call
                               is decided, recorded, and forwarded only when allowed

run 'cavra mcp <subcommand> --help' for its options. docs: docs/integrations/mcp.md
`;

export const MCP_SERVE_HELP = `usage: cavra mcp serve [options]

serve CAVRA's decision tools to an MCP client over stdio (stdout carries the protocol; messages go to
stderr). each decision tool answers with the decision JSON (structured content) and a readable summary.

options:
  -p, --pack <id>              default pack for calls that name none (default: cavra-ai-agent-baseline)
      --policy <file>          extra pack file (YAML or JSON); becomes the default pack
  -m, --mode <mode>            enforce (default), audit_only, strict or break_glass, for every decision
      --registry <file.json>   MCP trust registry {"mcp_servers": […]} for check_mcp_tool_call
      --cwd <dir>              workspace root for resolving paths (default: current directory)
      --record                 store every decision and append it to the evidence log
      --db <url|path>          where --record writes (default: $CAVRA_DATABASE_URL, else .cavra/cavra.db)
      --session-id <id>        session of decisions that name none (session_start opens a new one)
      --agent-id <id>          agent of decisions that name none

example (an MCP client's server entry):
  {"command": "npx", "args": ["cavra", "mcp", "serve", "--record"]}
`;

export const MCP_GATEWAY_HELP = `usage: cavra mcp gateway --config <gateway.json> [--db <url|path>]

front downstream MCP servers with CAVRA. their tools are listed as <server>__<tool>; every call is decided
(policy pack and MCP trust registry), recorded as evidence, and forwarded only when allowed. a blocked call
returns an error result with the rule; a call needing approval creates an approval (through the API when
$CAVRA_API_URL or approvals.api_url is set, else in the local store) and answers that it is pending, or
waits for it (approvals.mode "wait"). unknown tools, engine or store errors and crashed servers give
error results: nothing is forwarded without a recorded decision.

options:
  -c, --config <file>          the gateway configuration (JSON; paths in it are relative to its folder)
      --db <url|path>          evidence store (default: evidence.db of the config, $CAVRA_DATABASE_URL,
                               else .cavra/cavra.db)

configuration: docs/integrations/mcp.md; example: fixtures/mcp/gateway.example.json
`;
