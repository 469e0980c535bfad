// A limit on failed attempts per key (a client address), not on attempts: in a hall every phone
// shares one public address, and three hundred judges signing in within half a minute must all get
// in (even while some phones scan revoked codes), while someone trying tokens at random is answered
// rate_limited after a few dozen misses. Per process: with
// several server processes an address gets this many misses on each, which is still far too few to
// guess a 128-bit token.
import { AppError, type ErrorCode, isAppError } from '../../kernel/errors.ts';

export interface FailureLimit {
  /** Failures allowed per key within the window; the next attempt is refused until one ages out. */
  max: number;
  windowMs: number;
}

/**
 * Runs a token sign-in for `key`. A valid token always gets in: thirty phones scanning revoked codes
 * must not lock the rest of the hall out, and no rate makes a 256-bit token guessable. A miss (one of
 * `failureCodes`) counts against the key; once the key is over its limit, misses are answered
 * rate_limited (with the wait) instead of with the reason, so a guesser learns nothing and is told to
 * stop.
 */
export async function limitFailures<T>(
  limiter: FailureLimiter,
  key: string,
  failureCodes: readonly ErrorCode[],
  signIn: () => Promise<T>,
): Promise<T> {
  try {
    return await signIn();
  } catch (e) {
    if (!isAppError(e) || !failureCodes.includes(e.code)) throw e;
    const wait = limiter.retryAfterMs(key);
    limiter.recordFailure(key);
    if (wait !== null) throw new AppError('rate_limited', { seconds: Math.ceil(wait / 1000) });
    throw e;
  }
}

/** How many keys are remembered at most; the oldest is forgotten first (memory stays bounded). */
const MAX_KEYS = 10_000;

export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly limit: FailureLimit;
  readonly #now: () => number;

  constructor(limit: FailureLimit, now: () => number = Date.now) {
    this.limit = limit;
    this.#now = now;
  }

  /** Null when the key may try; otherwise how long (ms) until it may try again. */
  retryAfterMs(key: string): number | null {
    const recent = this.#recent(key);
    if (recent.length < this.limit.max) return null;
    return Math.max(1, recent[0]! + this.limit.windowMs - this.#now());
  }

  recordFailure(key: string): void {
    const recent = this.#recent(key);
    recent.push(this.#now());
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    if (this.#failures.size > MAX_KEYS) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  #recent(key: string): number[] {
    const since = this.#now() - this.limit.windowMs;
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, kept);
    return kept;
  }
}
