// The error replies a rule can send, as Redis 7 writes them (src/server.c shared objects), by their error code.

export const redisErrorTexts: Readonly<Record<string, string>> = {
  OOM: "OOM command not allowed when used memory > 'maxmemory'.",
  READONLY: "READONLY You can't write against a read only replica.",
  LOADING: 'LOADING Redis is loading the dataset in memory',
  BUSY: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  MASTERDOWN: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  NOAUTH: 'NOAUTH Authentication required.',
};

/** `OOM` → Redis's full OOM text; anything else is taken as the full text (`ERR custom`, `TRYAGAIN …`). */
export function errorText(error: string): string {
  return redisErrorTexts[error.toUpperCase()] ?? error;
}

/** The wire form of an error reply: `-<text>\r\n`. */
export function errorReply(text: string): Buffer {
  return Buffer.from(`-${text}\r\n`, 'utf8');
}
