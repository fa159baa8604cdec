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
  /** For a file redis-server refuses: the loader's code, which lint reports as an error finding (exit 1). */
  refusedCode?: string;
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
  {
    file: 'cycle-a.conf',
    refusedCode: 'CQ_REDIS_CONF_INCLUDE_CYCLE',
    // the cycle is reported at the include line that closes it: cycle-b.conf:1
    findings: ['include-unreadable@1', 'save-without-aof@1', 'dangerous-commands-open@1', 'noeviction-policy@2'],
  },
  {
    file: 'bad-unterminated-quote.conf',
    refusedCode: 'CQ_REDIS_CONF_SYNTAX',
    findings: ['unloadable-line@3', 'save-without-aof@1', 'dangerous-commands-open@1', 'noeviction-policy@2'],
    redisAccepts: false,
  },
  {
    file: 'bad-unit.conf',
    refusedCode: 'CQ_REDIS_CONF_INVALID',
    findings: ['unloadable-line@2', 'save-without-aof@1', 'dangerous-commands-open@1'],
    redisAccepts: false,
  },
  {
    file: 'bad-trailing-comment.conf',
    refusedCode: 'CQ_REDIS_CONF_INVALID',
    findings: ['unloadable-line@2', 'save-without-aof@1', 'dangerous-commands-open@1'],
    redisAccepts: false,
  },
  {
    file: 'typo-directive.conf',
    findings: ['unknown-directive@3', 'save-without-aof@1', 'dangerous-commands-open@1', 'noeviction-policy@2'],
    redisAccepts: false,
  },
  {
    file: 'many-problems.conf',
    findings: [
      'unknown-directive@3',
      'unloadable-line@6',
      'unloadable-line@4',
      'include-unreadable@5',
      'dangerous-commands-open@1',
      'noeviction-policy@2',
    ],
    redisAccepts: false,
  },
];
