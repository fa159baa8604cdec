// HTTP replies of the API and Go-compatible JSON text (HTML-safe escaping, float32 toxicity).

export interface Reply {
  status: number;
  body?: string;
  contentType?: string;
  /** Go's http.Error adds `X-Content-Type-Options: nosniff`. */
  nosniff?: boolean;
}

/** JSON.stringify with Go's json.Marshal escaping of <, >, & and U+2028/2029. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A float32 as Go prints it: the shortest decimal that reads back as the same float32. */
export function float32Text(value: number): string {
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return String(candidate);
  }
  return String(single);
}

export function jsonReply(status: number, body: string): Reply {
  return { status, body, contentType: 'application/json' };
}

export function emptyReply(status = 204): Reply {
  return { status };
}

/** Toxiproxy's apiError: a JSON body sent through http.Error, hence text/plain and a trailing newline. */
export function errorReply(message: string, status: number): Reply {
  return {
    status,
    body: `${goJson({ error: message, status })}\n`,
    contentType: 'text/plain; charset=utf-8',
    nosniff: true,
  };
}

/** Thrown by handlers; rendered with errorReply. */
export class ApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}
