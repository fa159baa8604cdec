// The lines of a run's rollback log (`<run dir>/rollback.jsonl`): what a run is about to change outside itself and how
// to undo it, written and fsynced before each fault is sent, so `cachequake recover` can undo it after a SIGKILL.

/** Where the run's changes live: only a staging environment outlives the harness. */
export interface RollbackEnvironment {
  /** The environment file (recover reads the Redis credentials back from it). */
  file: string;
  name: string;
  /** `host:port` of redis.adminUrl: what the next run compares. */
  redis: string;
  /** redis.adminUrl without its password. */
  redisUrl: string;
  toxiproxyUrl: string;
}

/** The first line. */
export interface RollbackHeader {
  type: 'run';
  version: 1;
  runId: string;
  startedAt: string;
  pid: number;
  runtime: 'staging' | 'local' | 'docker';
  /** Absent for the local and docker runtimes: their Redis and proxy die with the harness (the watchdog). */
  environment?: RollbackEnvironment;
}

/** CONFIG GET * before the first fault that may change Redis; undone by CONFIG SET of every value that differs. */
export interface ConfigChange {
  type: 'config';
  id: string;
  experiment: string;
  /** `host:port` of the server snapshotted. */
  server: string;
  values: Record<string, string>;
}

/** A Toxiproxy proxy as it was before a fault: enabled or not, its toxics and RESP rules by name. */
export interface LinkState {
  name: string;
  enabled: boolean;
  toxics: string[];
  /** Absent where the proxy has no RESP layer (a real Toxiproxy). */
  rules?: string[];
}

/** The links before a fault; undone by removing the toxics and rules the fault added and enabling what it disabled. */
export interface LinksChange {
  type: 'links';
  id: string;
  experiment: string;
  fault: number;
  kind: string;
  links: LinkState[];
}

/** The keys a destructive fault touches, DUMPed to `file` (in the run dir) before it is sent; undone by RESTORE. */
export interface KeysChange {
  type: 'keys';
  id: string;
  experiment: string;
  fault: number;
  kind: string;
  file: string;
  keys: number;
  dbs: number[];
}

export type RollbackChange = ConfigChange | LinksChange | KeysChange;

/** After a link fault was sent: the toxics and rules it added, by link (recover removes exactly these). */
export interface LinksApplied {
  type: 'applied';
  id: string;
  added: { link: string; toxics: string[]; rules: string[] }[];
}

/** A change set back, by the run itself or by `recover`. */
export interface ChangeUndone {
  type: 'undone';
  id: string;
  by: 'run' | 'recover';
  at: string;
}

/** The run's teardown finished (every rollback it could do is done). */
export interface RunEnded {
  type: 'end';
  at: string;
}

export type RollbackLine = RollbackHeader | RollbackChange | LinksApplied | ChangeUndone | RunEnded;

/** One DUMPed key of a backup file (`backup-<id>.jsonl`), key and payload in base64. */
export interface BackupLine {
  db: number;
  key: string;
  dump: string;
  /** -1: no TTL; else ms left when dumped. */
  pttl: number;
  dumpedAt: number;
}

export const rollbackLogName = 'rollback.jsonl';
