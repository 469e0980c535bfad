import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_WIDE,
  blockedUntil,
  signInThrottle,
  waitBeforeSignIn,
} from '../../src/modules/accounts/domain/sign-in-throttle.ts';

describe('the sign-in throttle', () => {
  const now = 1_000_000;
  it('lets the first failures go, then blocks for a minute, doubling up to fifteen', () => {
    const { freePerAddress: free } = signInThrottle;
    expect(blockedUntil(free - 1, '10.0.0.1', now)).toBeNull();
    expect(blockedUntil(free, '10.0.0.1', now)).toBe(now + 60_000);
    expect(blockedUntil(free + 1, '10.0.0.1', now)).toBe(now + 120_000);
    expect(blockedUntil(free + 3, '10.0.0.1', now)).toBe(now + 480_000);
    expect(blockedUntil(free + 4, '10.0.0.1', now)).toBe(now + 900_000);
    expect(blockedUntil(free + 500, '10.0.0.1', now)).toBe(now + 900_000);
    expect(blockedUntil(signInThrottle.freePerAccount - 1, ACCOUNT_WIDE, now)).toBeNull();
    expect(blockedUntil(signInThrottle.freePerAccount, ACCOUNT_WIDE, now)).toBe(now + 60_000);
  });

  it('blocks by the address and by the whole account, never a known device', () => {
    const states = [
      { scope: '10.0.0.1', blockedUntilMs: now + 5_000 },
      { scope: ACCOUNT_WIDE, blockedUntilMs: now + 9_000 },
      { scope: '10.0.0.2', blockedUntilMs: now + 60_000 },
    ];
    expect(waitBeforeSignIn(states, '10.0.0.1', false, now)).toBe(9_000);
    expect(waitBeforeSignIn(states.slice(0, 1), '10.0.0.1', false, now)).toBe(5_000);
    expect(waitBeforeSignIn(states.slice(0, 1), '10.0.0.3', false, now)).toBeNull();
    expect(waitBeforeSignIn(states, '10.0.0.1', true, now)).toBeNull();
    expect(
      waitBeforeSignIn([{ scope: '10.0.0.1', blockedUntilMs: now - 1 }], '10.0.0.1', false, now),
    ).toBeNull();
  });
});
