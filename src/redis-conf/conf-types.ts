// The parsed form of a redis.conf: every directive in load order, with the file and line it came from.

export interface ConfDirective {
  /** Lowercased directive name (Redis matches names case-insensitively). */
  readonly name: string;
  /** Arguments after quote and escape processing; the case of values is kept. */
  readonly args: readonly string[];
  /** Absolute path of the file the line is in. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** The line as written, trimmed. */
  readonly text: string;
}

export interface IncludeResolution {
  /** The `include` directive. */
  readonly directive: ConfDirective;
  /** The files it brought in, in order (several for a glob, none for a glob that matched nothing). */
  readonly files: readonly string[];
  /** `cwd`: found where redis-server looks (its working directory); `file-dir`: only next to the including file. */
  readonly resolvedFrom: 'absolute' | 'cwd' | 'file-dir';
}

export interface RedisConf {
  /** Absolute path of the file that was loaded. */
  readonly file: string;
  /** Every file read, root first. */
  readonly files: readonly string[];
  /** Every directive in the order Redis applies them, includes expanded in place (the `include` lines stay too). */
  readonly directives: readonly ConfDirective[];
  readonly includes: readonly IncludeResolution[];
  /**
   * Lines redis-server would refuse, when loaded with `collectProblems` (lint reports them all); empty otherwise,
   * because the strict loader throws the first one.
   */
  readonly problems: readonly ConfProblem[];
}

/** A line (or include) redis-server would refuse to start with; its code is the one the strict loader throws. */
export interface ConfProblem {
  readonly code:
    | 'CQ_REDIS_CONF_SYNTAX'
    | 'CQ_REDIS_CONF_INVALID'
    | 'CQ_REDIS_CONF_INCLUDE_NOT_FOUND'
    | 'CQ_REDIS_CONF_INCLUDE_CYCLE';
  /** The message with file:line, as the strict loader would throw it. */
  readonly message: string;
  readonly hint: string;
  readonly file: string;
  readonly line: number;
  readonly text: string | undefined;
}
