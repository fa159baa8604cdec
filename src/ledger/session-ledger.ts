// The session ledger: users logged in before any fault, sampled during the run, and every one checked at the end.
import { Agent } from 'undici';
import { environmentError } from '../errors/index.ts';
import {
  checkRequest,
  classifyCheck,
  loginRequest,
  readSessionToken,
  type CheckOutcome,
  type LoadedTarget,
} from '../targets/index.ts';
import { httpCall } from './http-call.ts';
import { inBatches } from './in-batches.ts';

export interface LedgerEntry {
  user: string;
  token: string;
  rememberMe: boolean;
  /** The last outcome of a check of this session. */
  last?: CheckOutcome;
  /** Set by the first check that answered 401: a client drops its session on a 401, so the user was logged out. */
  loggedOut?: boolean;
}

export interface LedgerOptions {
  users: number;
  rememberMe: number;
  concurrency: number;
  timeoutMs?: number;
  /** Prefix of user names, unique per run. */
  userPrefix: string;
}

export interface CheckSummary {
  checked: number;
  valid: number;
  lost: number;
  errors: number;
  /** Up to 20 users whose session was lost, for the journal. */
  lostUsers: string[];
  errorReasons: Record<string, number>;
}

export class SessionLedger {
  readonly entries: LedgerEntry[] = [];
  readonly loginFailures: Record<string, number> = {};
  readonly #target: LoadedTarget;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #agent = new Agent({ connections: 64 });
  #cursor = 0;

  constructor(target: LoadedTarget, baseUrl: string, timeoutMs = 2000) {
    this.#target = target;
    this.#baseUrl = baseUrl;
    this.#timeoutMs = timeoutMs;
  }

  /** Logs in `users` users (a share of them with remember-me); fails if none can log in. */
  async loginAll(options: LedgerOptions): Promise<void> {
    const rememberEvery = options.rememberMe > 0 ? 1 / options.rememberMe : Infinity;
    await inBatches(options.users, options.concurrency, async (i) => {
      const user = `${options.userPrefix}${i}`;
      const rememberMe = Number.isFinite(rememberEvery) && i % Math.round(rememberEvery) === 0;
      const result = await httpCall(
        this.#baseUrl,
        loginRequest(this.#target, { user, password: `pw-${i}`, rememberMe }),
        this.#timeoutMs,
        this.#agent,
      );
      const token = result.ok
        ? readSessionToken(this.#target, result.response)
        : { ok: false as const, reason: result.reason };
      if (token.ok) this.entries.push({ user, token: token.token, rememberMe });
      else this.loginFailures[token.reason] = (this.loginFailures[token.reason] ?? 0) + 1;
    });
    if (options.users > 0 && this.entries.length === 0) {
      throw environmentError('CQ_LOGIN_FAILED', `no user could log in to target '${this.#target.name}'.`, {
        hint: `First failures: ${JSON.stringify(this.loginFailures).slice(0, 500)}\nCheck session.login in the target manifest${this.#target.file ? ` (${this.#target.file})` : ''}.`,
      });
    }
  }

  async check(entry: LedgerEntry): Promise<{ outcome: CheckOutcome; reason?: string }> {
    const result = await httpCall(
      this.#baseUrl,
      checkRequest(this.#target, entry.token, entry.user),
      this.#timeoutMs,
      this.#agent,
    );
    const outcome = result.ok ? classifyCheck(result.response.status) : 'error';
    entry.last = outcome;
    if (outcome === 'lost') entry.loggedOut = true;
    return {
      outcome,
      reason: result.ok ? (outcome === 'error' ? `status:${result.response.status}` : undefined) : result.reason,
    };
  }

  /** Checks the next `count` sessions in rotation. */
  async checkSample(count: number, concurrency: number): Promise<CheckSummary> {
    const picked: LedgerEntry[] = [];
    for (let i = 0; i < Math.min(count, this.entries.length); i++)
      picked.push(this.entries[this.#cursor++ % this.entries.length] as LedgerEntry);
    return this.#checkEntries(picked, concurrency);
  }

  async checkAll(concurrency: number): Promise<CheckSummary> {
    return this.#checkEntries(this.entries, concurrency);
  }

  /** Sessions that answered 401 to some check during the run (they may be valid again at the end). */
  loggedOutCount(): number {
    return this.entries.filter((e) => e.loggedOut).length;
  }

  /** A random logged-in session, for authenticated load. */
  randomSession(): LedgerEntry | undefined {
    return this.entries[Math.floor(Math.random() * this.entries.length)];
  }

  async close(): Promise<void> {
    await this.#agent.close().catch(() => {});
  }

  async #checkEntries(entries: LedgerEntry[], concurrency: number): Promise<CheckSummary> {
    const summary: CheckSummary = { checked: 0, valid: 0, lost: 0, errors: 0, lostUsers: [], errorReasons: {} };
    await inBatches(entries.length, concurrency, async (i) => {
      const entry = entries[i] as LedgerEntry;
      const { outcome, reason } = await this.check(entry);
      summary.checked++;
      if (outcome === 'valid') summary.valid++;
      else if (outcome === 'lost') {
        summary.lost++;
        if (summary.lostUsers.length < 20) summary.lostUsers.push(entry.user);
      } else {
        summary.errors++;
        const key = reason ?? 'error';
        summary.errorReasons[key] = (summary.errorReasons[key] ?? 0) + 1;
      }
    });
    return summary;
  }
}
