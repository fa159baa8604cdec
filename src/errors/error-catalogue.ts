// Every CQ_* error code of cachequake, declared once with its exit class and what it means (docs/errors.md is made
// from this file). A code's exit class decides the exit code; no call site and no reader guesses it from the name.
import { ExitCode, type ExitCodeValue } from './exit-codes.ts';

/**
 * Why a command stopped, one class per documented exit code: invalid-input 2 (nothing was started), environment 3
 * (something outside cachequake is missing or broken), deviated 1 (the system under test broke), aborted 4 (Ctrl-C or
 * an abort condition; faults reverted), internal 70 (a cachequake bug: the stack is printed).
 */
export type ExitClass = 'invalid-input' | 'environment' | 'deviated' | 'aborted' | 'internal';

export const exitCodeOfClass: Readonly<Record<ExitClass, ExitCodeValue>> = {
  'invalid-input': ExitCode.invalidInput,
  environment: ExitCode.environment,
  deviated: ExitCode.failed,
  aborted: ExitCode.aborted,
  internal: ExitCode.internal,
};

export interface CatalogueEntry {
  readonly exitClass: ExitClass;
  /** One line: what went wrong, in the words of the person who has to fix it. */
  readonly meaning: string;
}

export const errorCatalogue = {
  // ── invalid input (exit 2): an experiment, target, environment file, config file or option is wrong ──
  CQ_OPTION_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'A command-line option has a value the command does not accept.',
  },
  CQ_SET_INVALID: { exitClass: 'invalid-input', meaning: 'A --set override is not written as key=value.' },
  CQ_FILE_NOT_FOUND: {
    exitClass: 'invalid-input',
    meaning: 'A file or directory named on the command line or in a file does not exist or cannot be read.',
  },
  CQ_YAML_SYNTAX: {
    exitClass: 'invalid-input',
    meaning: 'A YAML file is not valid YAML (indentation, a duplicate key, an alias without its anchor).',
  },
  CQ_EXPERIMENT_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'An experiment breaks its schema: the field, the value received and the allowed values are named.',
  },
  CQ_VALIDATE_FAILED: {
    exitClass: 'invalid-input',
    meaning: '`validate` found invalid experiment files; each one is reported above the summary.',
  },
  CQ_EXPERIMENT_FILE_TYPE: {
    exitClass: 'invalid-input',
    meaning: 'A path given as an experiment is not a *.yaml, *.yml or *.experiment.ts file.',
  },
  CQ_EXPERIMENT_MODULE_FAILED: {
    exitClass: 'invalid-input',
    meaning: 'An *.experiment.ts (or .js) file threw while it was loaded: the error is in that file.',
  },
  CQ_NO_EXPERIMENTS: { exitClass: 'invalid-input', meaning: 'A directory given to run holds no experiment files.' },
  CQ_EXPECTATION_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'An expectation or abort condition does not parse (unknown metric, operator, unit or label).',
  },
  CQ_LOAD_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'The load options (rate, traffic mix, timeout, base URL) are out of range.',
  },
  CQ_K6_SCRIPT_INVALID: { exitClass: 'invalid-input', meaning: 'k6 rejected the load script (k6 exit 104 or 107).' },
  CQ_TARGET_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'A target manifest breaks its schema: the field, the value received and the allowed values are named.',
  },
  CQ_TARGET_UNKNOWN: {
    exitClass: 'invalid-input',
    meaning: 'The target is neither a bundled target name nor a path to a target.yaml.',
  },
  CQ_TARGET_PLACEHOLDER: {
    exitClass: 'invalid-input',
    meaning: 'A {{placeholder}} in the target manifest has no value in this run (e.g. postgres.* without PostgreSQL).',
  },
  CQ_TARGET_NO_SESSION: {
    exitClass: 'invalid-input',
    meaning:
      'The experiment needs a session ledger (a sessions.* expectation, an authenticated request), but the target has no session section.',
  },
  CQ_TARGET_NO_CACHE: {
    exitClass: 'invalid-input',
    meaning: 'The experiment expects on cache.*, but the target has no cache section naming a read path to check.',
  },
  CQ_INIT_FILE_EXISTS: {
    exitClass: 'invalid-input',
    meaning: 'cachequake init would overwrite a file that exists; it wrote nothing (move the file or use --dir).',
  },
  CQ_TARGET_CHECK_FAILED: {
    exitClass: 'invalid-input',
    meaning: 'cachequake target check: a call the manifest describes did not work; the field to fix is named.',
  },
  CQ_ENVIRONMENT_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'A staging environment file (--env) breaks its schema.',
  },
  CQ_REDIS_CONF_SYNTAX: {
    exitClass: 'invalid-input',
    meaning: 'A redis.conf line that redis-server would refuse to parse (e.g. unbalanced quotes).',
  },
  CQ_REDIS_CONF_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'A redis.conf directive has a value redis-server would refuse.',
  },
  CQ_REDIS_CONF_INCLUDE_NOT_FOUND: {
    exitClass: 'invalid-input',
    meaning: 'A redis.conf include names a file that does not exist.',
  },
  CQ_REDIS_CONF_NOT_A_CONFIG: {
    exitClass: 'invalid-input',
    meaning: 'A file given as a redis.conf is not one at all: a binary file (dump.rdb) or JSON.',
  },
  CQ_REDIS_CONF_INCLUDE_CYCLE: {
    exitClass: 'invalid-input',
    meaning: 'redis.conf files include each other in a cycle.',
  },
  CQ_REDIS_CONFIG_INVALID: {
    exitClass: 'invalid-input',
    meaning: "redis-server refused a directive of the experiment's Redis config when it started.",
  },
  CQ_TOPOLOGY_RUNTIME: {
    exitClass: 'invalid-input',
    meaning: 'redis.topology sentinel or cluster was asked for on a runtime other than local.',
  },
  CQ_FAULT_NEEDS_PROCESS: {
    exitClass: 'invalid-input',
    meaning:
      'A fault needs the server process (kill, restart, freeze by SIGSTOP): staging runs none; docker has no container form of the Sentinel ones.',
  },
  CQ_FAULT_NEEDS_POSTGRES: {
    exitClass: 'invalid-input',
    meaning: 'A fault acts on PostgreSQL, but the experiment starts none (set postgres: true).',
  },
  CQ_FAULT_NEEDS_SENTINEL: {
    exitClass: 'invalid-input',
    meaning: 'A Sentinel fault in an experiment without Sentinel.',
  },
  CQ_FAULT_NEEDS_CLUSTER: {
    exitClass: 'invalid-input',
    meaning: 'A Redis Cluster fault in an experiment without redis.topology: cluster.',
  },
  CQ_FAULT_SHARD: { exitClass: 'invalid-input', meaning: 'A cluster fault names a shard that does not exist.' },
  CQ_FAULT_NO_LINK: {
    exitClass: 'invalid-input',
    meaning: 'A fault acts on a link (redis, postgres) that this run has no proxy for.',
  },
  CQ_FAULT_NOT_PERMITTED: {
    exitClass: 'invalid-input',
    meaning: 'The staging environment file does not permit this fault kind; nothing was sent.',
  },
  CQ_DESTRUCTIVE_REFUSED: {
    exitClass: 'invalid-input',
    meaning: 'The guard refused a destructive fault on a Redis that was not confirmed as its target; nothing was sent.',
  },
  CQ_BACKUP_NEEDS_STAGING: {
    exitClass: 'invalid-input',
    meaning: 'backup: applies only to a staging environment (--env), not to a Redis the run starts itself.',
  },
  CQ_BACKUP_TOO_LARGE: {
    exitClass: 'invalid-input',
    meaning: 'The keys a destructive fault would touch exceed backup.maxKeys or backup.maxBytes; nothing was sent.',
  },
  CQ_RUN_DIR_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'recover: the run directory does not exist, or holds no rollback log (rollback.jsonl) of a run.',
  },
  CQ_ROLLBACK_LOG_CORRUPT: {
    exitClass: 'invalid-input',
    meaning: 'recover: a line of the rollback log or a key backup file is not what a run writes (edited or damaged).',
  },
  CQ_PREPARE_NO_INSTANCE: {
    exitClass: 'invalid-input',
    meaning: 'prepare: the environment file declares no redis.instance to mark.',
  },
  CQ_PREPARE_WRONG_NAME: {
    exitClass: 'invalid-input',
    meaning: "prepare: --allow-destructive does not name the environment file's redis.instance.",
  },
  CQ_PREPARE_MARKER_MISMATCH: {
    exitClass: 'invalid-input',
    meaning: 'prepare: the Redis at redis.adminUrl is marked for another instance; the file points at the wrong Redis.',
  },
  CQ_JOURNAL_NOT_FOUND: { exitClass: 'invalid-input', meaning: 'The run directory given has no journal.json.' },
  CQ_JOURNAL_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'The journal given is not JSON, of another version, or not a cachequake journal.',
  },
  CQ_SHARD_INVALID: {
    exitClass: 'invalid-input',
    meaning: '--shard or CACHEQUAKE_SHARD is not i/n with 1 <= i <= n (e.g. 2/4).',
  },
  CQ_MERGE_CONFLICT: {
    exitClass: 'invalid-input',
    meaning:
      '`merge` was given journals that do not form one run: other schema versions, an experiment in two of them, or shards of different splits or missing.',
  },
  CQ_PROXY_BAD_PORT: { exitClass: 'invalid-input', meaning: 'cachequake proxy: --port is not a port number.' },
  CQ_PROXY_BAD_HOST: {
    exitClass: 'invalid-input',
    meaning: 'cachequake proxy: --host is not an address of this machine.',
  },
  CQ_PROXY_CONFIG_UNREADABLE: {
    exitClass: 'invalid-input',
    meaning: 'cachequake proxy: the --config file cannot be read.',
  },
  CQ_PROXY_CONFIG_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'cachequake proxy: the --config file is not a JSON array of valid proxies.',
  },
  CQ_AUDIT_URL_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'cachequake audit: the Redis URL is not a redis:// URL.',
  },
  CQ_AUDIT_AUTH_FAILED: {
    exitClass: 'invalid-input',
    meaning: 'cachequake audit: the Redis refused the user or password in the URL.',
  },
  CQ_MATCHER_INVALID: {
    exitClass: 'invalid-input',
    meaning: 'A cachequake/vitest matcher got something other than a journal entry, or a bound it cannot read.',
  },
  CQ_DOCKER_IMAGES_UNKNOWN: {
    exitClass: 'invalid-input',
    meaning: 'CACHEQUAKE_IMAGES names an image set other than upstream or local.',
  },

  // ── environment (exit 3): something outside cachequake is missing, busy or broken ──
  CQ_ENV_MISSING: { exitClass: 'environment', meaning: 'cachequake doctor: a required tool is not installed.' },
  CQ_NO_RUNTIME: {
    exitClass: 'environment',
    meaning: '--runtime auto found neither the local services (redis-server, PostgreSQL) nor a Docker engine.',
  },
  CQ_DOCKER_UNAVAILABLE: {
    exitClass: 'environment',
    meaning: 'The docker runtime was asked for and no Docker engine answers.',
  },
  CQ_DOCKER_START_FAILED: {
    exitClass: 'environment',
    meaning: 'The docker runtime could not start its network or containers (an image pull, the engine).',
  },
  CQ_DOCKER_CONTAINER_FAILED: {
    exitClass: 'environment',
    meaning:
      'A process fault on the docker runtime (kill, start, pause) failed at the engine, or a container did not stop.',
  },
  CQ_NO_FREE_PORT: { exitClass: 'environment', meaning: 'No free loopback port could be found for a service.' },
  CQ_TYPESCRIPT_UNSUPPORTED: {
    exitClass: 'environment',
    meaning: 'An *.experiment.ts file needs a Node.js that strips types (22.18 or newer); this one does not.',
  },
  CQ_REDIS_NOT_INSTALLED: {
    exitClass: 'environment',
    meaning: 'redis-server is not on PATH (nor CACHEQUAKE_REDIS_SERVER).',
  },
  CQ_REDIS_SPAWN_FAILED: { exitClass: 'environment', meaning: 'redis-server could not be started (not executable?).' },
  CQ_REDIS_START_FAILED: { exitClass: 'environment', meaning: 'redis-server started but did not become ready.' },
  CQ_REDIS_PORT_IN_USE: { exitClass: 'environment', meaning: 'redis-server could not listen: the port is taken.' },
  CQ_POSTGRES_NOT_INSTALLED: {
    exitClass: 'environment',
    meaning: 'The PostgreSQL server binaries (initdb, postgres) were not found.',
  },
  CQ_POSTGRES_USER_MISSING: {
    exitClass: 'environment',
    meaning: 'Running as root, and there is no unprivileged user to run PostgreSQL as.',
  },
  CQ_POSTGRES_INITDB_FAILED: {
    exitClass: 'environment',
    meaning: 'initdb failed while preparing the PostgreSQL template.',
  },
  CQ_POSTGRES_TEMPLATE_BROKEN: {
    exitClass: 'environment',
    meaning: 'The cached PostgreSQL template directory is incomplete and could not be replaced.',
  },
  CQ_POSTGRES_SPAWN_FAILED: { exitClass: 'environment', meaning: 'postgres could not be started.' },
  CQ_POSTGRES_START_FAILED: { exitClass: 'environment', meaning: 'PostgreSQL started but did not become ready.' },
  CQ_POSTGRES_PORT_IN_USE: { exitClass: 'environment', meaning: 'PostgreSQL could not listen: the port is taken.' },
  CQ_TARGET_SPAWN_FAILED: { exitClass: 'environment', meaning: "The target's command could not be started." },
  CQ_TARGET_START_FAILED: {
    exitClass: 'environment',
    meaning: 'The target started but its health check did not answer 2xx in time.',
  },
  CQ_LOGIN_FAILED: { exitClass: 'environment', meaning: 'No user could log in to the target.' },
  CQ_CACHE_BASELINE_FAILED: {
    exitClass: 'environment',
    meaning: "No id of the target's cache.ids answered its cache read path with 2xx before any fault.",
  },
  CQ_K6_NOT_INSTALLED: {
    exitClass: 'environment',
    meaning: 'The experiment uses load.driver: k6, and k6 is not on PATH.',
  },
  CQ_K6_FAILED: { exitClass: 'environment', meaning: 'k6 exited before producing a result.' },
  CQ_K6_OUTPUT_INVALID: {
    exitClass: 'environment',
    meaning: 'k6 wrote JSON output this cachequake cannot read (an incompatible k6 version).',
  },
  CQ_TOXIPROXY_UNREACHABLE: {
    exitClass: 'environment',
    meaning: 'TOXIPROXY_URL is set, but no Toxiproxy answers there.',
  },
  CQ_RESP_TRACKING: {
    exitClass: 'environment',
    meaning: 'The embedded fault proxy refused to parse Redis commands on a link.',
  },
  CQ_RESP_UNSUPPORTED: {
    exitClass: 'environment',
    meaning: "Redis command faults need cachequake's own proxy; the proxy in use (Toxiproxy) has no RESP layer.",
  },
  CQ_RESP_RULES: { exitClass: 'environment', meaning: 'The fault proxy refused a Redis command rule.' },
  CQ_RESP_NOT_TRACKING: {
    exitClass: 'environment',
    meaning: 'The proxy link does not parse Redis commands, so command rules would not reach pooled connections.',
  },
  CQ_CLUSTER_NEEDS_EMBEDDED_PROXY: {
    exitClass: 'environment',
    meaning: "redis.topology: cluster needs cachequake's own proxy, and TOXIPROXY_URL points at a Toxiproxy.",
  },
  CQ_CLUSTER_FORM_FAILED: {
    exitClass: 'environment',
    meaning: 'The Redis Cluster nodes did not form a cluster in time.',
  },
  CQ_CLUSTER_UNREACHABLE: { exitClass: 'environment', meaning: 'No Redis Cluster node answers CLUSTER NODES.' },
  CQ_CLUSTER_NO_PRIMARY: { exitClass: 'environment', meaning: 'A cluster fault found no live primary in its shard.' },
  CQ_CLUSTER_NO_REPLICA: { exitClass: 'environment', meaning: 'failover-shard found no live replica to promote.' },
  CQ_CLUSTER_NO_SLOTS: { exitClass: 'environment', meaning: 'migrate-slots found no slot on the source shard.' },
  CQ_SENTINEL_SPAWN_FAILED: { exitClass: 'environment', meaning: 'A sentinel process could not be started.' },
  CQ_SENTINEL_START_FAILED: { exitClass: 'environment', meaning: 'A sentinel started but did not become ready.' },
  CQ_SENTINEL_SYNC: {
    exitClass: 'environment',
    meaning: 'The replicas did not finish their first sync with the primary.',
  },
  CQ_SENTINEL_NOT_READY: {
    exitClass: 'environment',
    meaning: 'The sentinels did not all see the replicas and each other in time.',
  },
  CQ_SENTINEL_REPLICA_NOT_READY: {
    exitClass: 'environment',
    meaning: 'A restarted node did not become a healthy, synced replica in time.',
  },
  CQ_SENTINEL_FAILOVER_REFUSED: { exitClass: 'environment', meaning: 'No sentinel accepted SENTINEL FAILOVER.' },
  CQ_SENTINEL_NO_SWITCH: {
    exitClass: 'environment',
    meaning: 'A Sentinel fault was carried out, but no sentinel announced a new primary in time.',
  },
  CQ_STAGING_TARGET_UNREACHABLE: { exitClass: 'environment', meaning: 'The staging target URL does not answer.' },
  CQ_STAGING_TARGET_UNHEALTHY: {
    exitClass: 'environment',
    meaning: 'The staging target answers its health check with an error: a game day starts from a healthy service.',
  },
  CQ_STAGING_PROXY_MISSING: {
    exitClass: 'environment',
    meaning: 'The staging Toxiproxy does not answer, or has no proxy of the name the environment file gives.',
  },
  CQ_STAGING_REDIS_UNREACHABLE: {
    exitClass: 'environment',
    meaning: 'The staging Redis at redis.adminUrl does not answer.',
  },
  CQ_ROLLBACK_PENDING: {
    exitClass: 'environment',
    meaning:
      'An earlier run against the same Redis or Toxiproxy left faults applied (killed mid-fault): `cachequake recover` it first.',
  },
  CQ_RECOVER_UNREACHABLE: {
    exitClass: 'environment',
    meaning: 'recover: the Redis or Toxiproxy the rollback log names does not answer; nothing there was undone.',
  },
  CQ_RECOVER_INCOMPLETE: {
    exitClass: 'environment',
    meaning: 'recover: some of what the rollback log names could not be undone (a CONFIG SET or RESTORE refused).',
  },
  CQ_REPORTS_UNWRITABLE: {
    exitClass: 'environment',
    meaning: 'The reports directory (--reports) cannot be created or written.',
  },
  CQ_WRITE_PROBE_CONNECT_FAILED: {
    exitClass: 'environment',
    meaning: 'The write probe (redis.writeProbe) could not connect to Redis through the fault proxy.',
  },
  CQ_TEARDOWN_FAILED: {
    exitClass: 'environment',
    meaning: 'A cleanup after a run failed (the failed step `teardown`); the others still ran, the verdict stands.',
  },
  CQ_PROXY_LISTEN_FAILED: { exitClass: 'environment', meaning: 'cachequake proxy: a configured proxy cannot listen.' },
  CQ_PROXY_PORT_IN_USE: { exitClass: 'environment', meaning: 'cachequake proxy: the API port is taken.' },
  CQ_AUDIT_CONNECT_FAILED: { exitClass: 'environment', meaning: 'cachequake audit: cannot connect to the Redis.' },
  CQ_AUDIT_NOPERM: {
    exitClass: 'environment',
    meaning: "cachequake audit: the Redis user's ACL does not allow a read-only command the audit needs.",
  },
  CQ_AUDIT_COMMAND_FAILED: {
    exitClass: 'environment',
    meaning: 'cachequake audit: a read-only command failed on the Redis.',
  },
  CQ_LIVE_PORT_IN_USE: {
    exitClass: 'environment',
    meaning: 'run --live: the live view could not listen on the port or host asked for.',
  },

  // ── deviated (exit 1): the system under test broke ──
  CQ_STEADY_STATE_DEVIATED: {
    exitClass: 'deviated',
    meaning: 'A steady-state probe failed before any fault: the service was not healthy to begin with.',
  },

  // ── aborted (exit 4): stopped on purpose; faults reverted ──
  CQ_INTERRUPTED: { exitClass: 'aborted', meaning: 'The run was interrupted (SIGINT or SIGTERM).' },
  CQ_ABORT_CONDITION: { exitClass: 'aborted', meaning: 'An abort condition of the experiment held.' },
  CQ_HALTED: { exitClass: 'aborted', meaning: 'Someone pressed halt in the live view (`run --live`, POST /halt).' },

  // ── internal (exit 70): a bug in cachequake; the stack is printed ──
  CQ_INTERNAL: {
    exitClass: 'internal',
    meaning: 'An unexpected error: a bug in cachequake. Please report it with the stack.',
  },
  CQ_AUDIT_COMMAND_REFUSED: {
    exitClass: 'internal',
    meaning: 'The audit tried to send a command outside its read-only allowlist (refused; nothing was sent): a bug.',
  },
} as const satisfies Record<`CQ_${string}`, CatalogueEntry>;

/** A key of the catalogue: the compiler rejects any other code. */
export type ErrorCode = keyof typeof errorCatalogue;

/** The codes of one exit class. */
export type CodeOfClass<C extends ExitClass> = {
  [K in ErrorCode]: (typeof errorCatalogue)[K]['exitClass'] extends C ? K : never;
}[ErrorCode];

export type InvalidInputCode = CodeOfClass<'invalid-input'>;
export type EnvironmentCode = CodeOfClass<'environment'>;

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalogue, code);
}

/**
 * The exit class of an error record: the class it carries, else its code's class in this catalogue (journals written
 * before the class was stored), else internal (a code no catalogue declares).
 */
export function exitClassOf(record: { code?: string; exitClass?: ExitClass }): ExitClass {
  if (record.exitClass) return record.exitClass;
  return record.code && isErrorCode(record.code) ? errorCatalogue[record.code].exitClass : 'internal';
}
