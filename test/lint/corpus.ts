// The redis.conf corpus in test/fixtures/redis-conf/: each file's exact expected findings, or the error a broken file
// must give.
import { fileURLToPath } from 'node:url';

export const corpusDir = fileURLToPath(new URL('../fixtures/redis-conf/', import.meta.url));

/** Lint judges every file for a 32 GiB machine, with redis-server started in the corpus directory. */
export const machineMemoryBytes = 32 * 1024 ** 3;

export interface CorpusEntry {
  file: string;
  /** `rule@line`, in report order. */
  findings?: string[];
  /** For a file lint must refuse: the error code (exit 2). */
  errorCode?: string;
  /**
   * Whether redis-server must accept it (false: it must refuse it; undefined: not started, e.g. a cycle would crash
   * it).
   */
  redisAccepts?: boolean;
  /** Directives the runtime appends so the started server answers an unauthenticated PING. */
  startConfig?: Record<string, string>;
}

export const corpus: CorpusEntry[] = [
  { file: 'good-sessions.conf', findings: ['noeviction-policy@7'], redisAccepts: true },
  {
    file: 'incident.conf',
    findings: ['allkeys-policy@4', 'save-without-aof@6', 'dangerous-commands-open@1'],
    redisAccepts: true,
  },
  { file: 'cache-volatile.conf', findings: ['volatile-policy@4', 'appendonly-no@6'], redisAccepts: true },
  {
    file: 'exposed.conf',
    findings: ['allkeys-policy@6', 'exposed-without-auth@3', 'debug-command-enabled@4', 'dangerous-commands-open@1'],
    redisAccepts: true,
  },
  { file: 'near-machine.conf', findings: ['maxmemory-near-machine@4', 'noeviction-policy@3'], redisAccepts: true },
  { file: 'below-machine.conf', findings: ['noeviction-policy@3'], redisAccepts: true },
  {
    file: 'tricky-quoting.conf',
    findings: ['dangerous-commands-open@1', 'noeviction-policy@7'],
    redisAccepts: true,
    startConfig: { requirepass: '' },
  },
  { file: 'with-include.conf', findings: ['volatile-policy@5'], redisAccepts: true },
  { file: 'with-aclfile.conf', findings: ['noeviction-policy@3'], redisAccepts: true },
  { file: 'aclfile-missing.conf', findings: ['noeviction-policy@3', 'aclfile-unread@5'], redisAccepts: false },
  {
    file: 'stock-defaults.conf',
    findings: ['maxmemory-missing@1', 'save-without-aof@1', 'dangerous-commands-open@1'],
    redisAccepts: true,
  },
  { file: 'cycle-a.conf', errorCode: 'CQ_REDIS_CONF_INCLUDE_CYCLE' },
  { file: 'bad-unterminated-quote.conf', errorCode: 'CQ_REDIS_CONF_SYNTAX', redisAccepts: false },
  { file: 'bad-unit.conf', errorCode: 'CQ_REDIS_CONF_INVALID', redisAccepts: false },
  { file: 'bad-trailing-comment.conf', errorCode: 'CQ_REDIS_CONF_INVALID', redisAccepts: false },
];
