// The judge's last state from the server, kept on the phone: a reload without network (the page
// itself comes from the service worker's cache) shows the rubric and the agenda as last seen, so the
// judge can still fill in and queue a score; the server decides when it arrives.
import type { JudgeState } from '../../src/modules/event/schemas.ts';
import type { StorageLike } from './queue.ts';

const KEY = 'shaipin.judge.state.v1';

export interface CachedState {
  state: JudgeState;
  /** When the server gave it (phone clock), shown so the judge knows how old it is. */
  savedAt: string;
}

export function saveState(storage: StorageLike | null, state: JudgeState, now: Date): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ state, savedAt: now.toISOString() } satisfies CachedState));
  } catch {
    // Full or blocked storage: the page still works online; only the offline reload loses its copy.
  }
}

export function loadState(storage: StorageLike | null): CachedState | null {
  try {
    const raw = storage?.getItem(KEY);
    const v = raw ? (JSON.parse(raw) as Partial<CachedState>) : null;
    const s = v?.state;
    if (
      !s ||
      typeof v.savedAt !== 'string' ||
      !s.judge?.id ||
      !Array.isArray(s.slots) ||
      !Array.isArray(s.criteria)
    ) {
      return null;
    }
    return { state: s, savedAt: v.savedAt };
  } catch {
    return null;
  }
}

/** The session ended: its copy must not come back on an offline reload. */
export function clearState(storage: (StorageLike & { removeItem?(key: string): void }) | null): void {
  try {
    storage?.removeItem?.(KEY);
  } catch {
    // Nothing to do.
  }
}
