// How wrong passwords slow an attacker down without locking the owner out. Failures are counted per
// account and client address, and per account over all addresses. After a few free failures each
// further one blocks password sign-ins from that address (or, account-wide, from every device the
// owner has not used before) for a while that doubles with every failure, up to a cap. A device that
// has signed in to the account before is not blocked: the owner keeps getting in with the right
// password while someone elsewhere guesses. Pure: the caller passes the time.

export const signInThrottle = Object.freeze({
  /** Failures from one address that cost nothing. */
  freePerAddress: 5,
  /** Failures over all addresses that cost nothing (a guesser spread over many addresses). */
  freePerAccount: 20,
  /** The first block; each further failure doubles it. */
  firstBlockMs: 60_000,
  maxBlockMs: 15 * 60_000,
});

/** The scope of a count: one address, or the account as a whole. */
export const ACCOUNT_WIDE = '*';

/** Until when sign-ins are blocked after the `failures`-th failure at `nowMs`, or null. */
export function blockedUntil(failures: number, scope: string, nowMs: number): number | null {
  const free = scope === ACCOUNT_WIDE ? signInThrottle.freePerAccount : signInThrottle.freePerAddress;
  if (failures < free) return null;
  const doublings = Math.min(failures - free, 20);
  return nowMs + Math.min(signInThrottle.firstBlockMs * 2 ** doublings, signInThrottle.maxBlockMs);
}

export interface ThrottleState {
  scope: string;
  blockedUntilMs: number | null;
}

/**
 * Milliseconds until a password sign-in may be tried, or null when it may be now. A known device
 * is never blocked; another device is blocked by its address's count and by the account-wide one.
 */
export function waitBeforeSignIn(
  states: readonly ThrottleState[],
  address: string,
  knownDevice: boolean,
  nowMs: number,
): number | null {
  if (knownDevice) return null;
  let wait = 0;
  for (const s of states) {
    if (s.scope !== address && s.scope !== ACCOUNT_WIDE) continue;
    if (s.blockedUntilMs !== null && s.blockedUntilMs > nowMs)
      wait = Math.max(wait, s.blockedUntilMs - nowMs);
  }
  return wait > 0 ? wait : null;
}
