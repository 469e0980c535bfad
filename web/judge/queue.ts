// The judge's outbox. A score the judge submitted must never be lost (docs: PEERS.md): every
// submission is written to local storage BEFORE it is sent, sent one at a time in the order the
// judge made them (so a revision can never overtake the version it revises), resent with the SAME
// clientId until the server answers (the server is idempotent on it), and only then removed.
// Framework-free, with fetch, storage and clock injected, so it runs under unit tests as it runs on
// the phone.
import type { SubmitScoreResult } from '../../src/modules/event/schemas.ts';

export interface PendingSubmission {
  clientId: string;
  slotId: string;
  values: Record<string, number>;
  /** The total as the phone computed it, shown while waiting; the server's total replaces it. */
  localTotal: string;
  queuedAt: string;
  attempts: number;
  lastFailure: RetryReason | null;
}

export interface ConfirmedSubmission {
  clientId: string;
  slotId: string;
  entryId: string;
  values: Record<string, number>;
  total: number;
  version: number;
  createdAt: string;
  duplicate: boolean;
}

export interface RejectedSubmission {
  clientId: string;
  slotId: string;
  values: Record<string, number>;
  localTotal: string;
  status: number;
  code: string;
  /** The server's localized message; null when the answer carried none. */
  message: string | null;
  at: string;
}

export interface QueueState {
  pending: PendingSubmission[];
  /** Latest confirmation per slot (highest version). */
  confirmed: Record<string, ConfirmedSubmission>;
  /** Last refusal per slot, until the judge dismisses it or submits that slot again. */
  rejected: Record<string, RejectedSubmission>;
}

export type RetryReason = 'network' | 'timeout' | 'server' | 'unauthorized' | 'bad_response';

export type Classification =
  | { kind: 'confirmed'; result: SubmitScoreResult }
  | { kind: 'rejected'; status: number; code: string; message: string | null }
  | { kind: 'retry'; reason: RetryReason; status: number | null };

export interface QueueSnapshot extends QueueState {
  /** idle: nothing to send; sending: a request is in flight; waiting: a retry is scheduled. */
  phase: 'idle' | 'sending' | 'waiting';
  lastFailure: RetryReason | null;
  nextRetryAt: number | null;
  /** False once local storage refused a write: the queue then lives in memory only. */
  persisted: boolean;
}

export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    credentials: 'same-origin';
  },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface QueueDeps {
  fetch: FetchLike;
  storage: StorageLike;
  clock: Clock;
  /** The judge whose session cookie sends these: each judge has their own outbox on a shared phone. */
  judgeId: string;
  newId?: () => string;
  /** Accept-Language of the requests, so refusals come back in the judge's language. */
  locale?: () => string;
  timeoutMs?: number;
  url?: string;
}

export const SUBMIT_URL = '/api/judge/scores';
export const REQUEST_TIMEOUT_MS = 8000;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 15_000;

/** Delay before retry number `failures` (1-based): 1 s, 2 s, 4 s, 8 s, then 15 s each time. */
export function backoffDelay(failures: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

export function storageKey(judgeId: string): string {
  return `shaipin.judge.outbox.v1.${judgeId}`;
}

export interface CryptoLike {
  randomUUID?: () => string;
  getRandomValues: Crypto['getRandomValues'];
}

/**
 * A fresh UUID v4 per submission attempt. crypto.randomUUID exists only in secure contexts, and a
 * hall intranet is often plain http, so fall back to getRandomValues.
 */
export function newClientId(c: CryptoLike = globalThis.crypto): string {
  if (typeof c.randomUUID === 'function') {
    try {
      return c.randomUUID();
    } catch {
      // Some embedded browsers expose it but throw outside secure contexts.
    }
  }
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isSubmitResult(body: unknown): body is SubmitScoreResult {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.entryId === 'string' &&
    typeof b.slotId === 'string' &&
    typeof b.total === 'number' &&
    typeof b.version === 'number' &&
    typeof b.createdAt === 'string'
  );
}

function errorFields(body: unknown): { code: string | null; message: string | null } {
  if (typeof body !== 'object' || body === null) return { code: null, message: null };
  const b = body as Record<string, unknown>;
  return {
    code: typeof b.code === 'string' ? b.code : null,
    message: typeof b.message === 'string' && b.message !== '' ? b.message : null,
  };
}

/**
 * What an answer means for the submission. Only a definite refusal drops it; anything that may be
 * the network's fault (5xx, 408/429, a captive portal's HTML page answering 200) is retried, and so is
 * a lost session (401/403 not-a-judge): the judge re-scans the QR code and the same submission goes
 * through, instead of being thrown away.
 */
export function classifyResponse(status: number, body: unknown): Classification {
  if (status >= 200 && status < 300) {
    return isSubmitResult(body)
      ? { kind: 'confirmed', result: body }
      : { kind: 'retry', reason: 'bad_response', status };
  }
  const { code, message } = errorFields(body);
  if (
    status === 401 ||
    (status === 403 && (code === 'forbidden' || code === 'unauthenticated' || code === null))
  ) {
    return { kind: 'retry', reason: 'unauthorized', status };
  }
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return { kind: 'retry', reason: 'server', status };
  }
  // Redirects and error pages that are not ours (no error code) come from something between the
  // phone and the server, not from the server's rules.
  if (status < 400 || code === null) return { kind: 'retry', reason: 'bad_response', status };
  return { kind: 'rejected', status, code, message };
}

function emptyState(): QueueState {
  return { pending: [], confirmed: {}, rejected: {} };
}

function parseState(raw: string | null): QueueState | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<QueueState> | null;
    if (typeof v !== 'object' || v === null || !Array.isArray(v.pending)) return null;
    return {
      pending: v.pending,
      confirmed: typeof v.confirmed === 'object' && v.confirmed !== null ? v.confirmed : {},
      rejected: typeof v.rejected === 'object' && v.rejected !== null ? v.rejected : {},
    };
  } catch {
    return null;
  }
}

export type Listener = (snapshot: QueueSnapshot) => void;

export class SubmissionQueue {
  private readonly deps: Required<Omit<QueueDeps, 'locale'>> & Pick<QueueDeps, 'locale'>;
  private readonly key: string;
  private memory: QueueState = emptyState();
  private persisted = true;
  private sending = false;
  private stopped = true;
  private failures = 0;
  private lastFailure: RetryReason | null = null;
  private timer: unknown = null;
  private nextRetryAt: number | null = null;
  /** A kick (online event, new submission) arrived while a request was in flight. */
  private kickedWhileSending = false;
  private readonly listeners = new Set<Listener>();

  constructor(deps: QueueDeps) {
    this.deps = {
      newId: () => newClientId(),
      timeoutMs: REQUEST_TIMEOUT_MS,
      url: SUBMIT_URL,
      ...deps,
    };
    this.key = storageKey(deps.judgeId);
    this.memory = this.read();
  }

  // Storage is the source of truth and is re-read before every change: a second tab of the same
  // judge may have written in between, and its entries must not be overwritten.
  private read(): QueueState {
    if (!this.persisted) return this.memory;
    try {
      this.memory = parseState(this.deps.storage.getItem(this.key)) ?? emptyState();
    } catch {
      // Unreadable storage: keep going from memory.
    }
    return this.memory;
  }

  private update(change: (s: QueueState) => void): void {
    const s = this.read();
    change(s);
    this.memory = s;
    if (this.persisted) {
      try {
        this.deps.storage.setItem(this.key, JSON.stringify(s));
      } catch {
        this.persisted = false;
      }
    }
  }

  snapshot(): QueueSnapshot {
    const s = this.read();
    return {
      pending: s.pending.map((p) => ({ ...p })),
      confirmed: { ...s.confirmed },
      rejected: { ...s.rejected },
      phase: this.sending
        ? 'sending'
        : s.pending.length > 0 && this.nextRetryAt !== null
          ? 'waiting'
          : 'idle',
      lastFailure: s.pending.length > 0 ? this.lastFailure : null,
      nextRetryAt: this.nextRetryAt,
      persisted: this.persisted,
    };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const snap = this.snapshot();
    for (const l of this.listeners) l(snap);
  }

  /** Resumes sending whatever a previous page load left pending. */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.emit();
  }

  /**
   * Queues one submission (stored before anything is sent) and tries to send it right away. Each call
   * is a new attempt with a new clientId; retries of it reuse that clientId.
   */
  submit(slotId: string, values: Record<string, number>, localTotal: string): PendingSubmission {
    const item: PendingSubmission = {
      clientId: this.deps.newId(),
      slotId,
      values: { ...values },
      localTotal,
      queuedAt: new Date(this.deps.clock.now()).toISOString(),
      attempts: 0,
      lastFailure: null,
    };
    this.update((s) => {
      s.pending.push(item);
      delete s.rejected[slotId];
    });
    this.emit();
    this.kick();
    return item;
  }

  /** The network is back (or the page became visible): retry now instead of waiting out the backoff. */
  online(): void {
    this.kick();
  }

  dismissRejection(slotId: string): void {
    this.update((s) => {
      delete s.rejected[slotId];
    });
    this.emit();
  }

  private clearTimer(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.nextRetryAt = null;
  }

  private kick(): void {
    if (this.stopped) return;
    this.clearTimer();
    if (this.sending) this.kickedWhileSending = true;
    else void this.pump();
  }

  private async pump(): Promise<void> {
    this.sending = true;
    this.emit();
    try {
      while (!this.stopped) {
        const head = this.read().pending[0];
        if (!head) {
          this.failures = 0;
          this.lastFailure = null;
          break;
        }
        this.kickedWhileSending = false;
        const outcome = await this.sendOnce(head);
        const at = new Date(this.deps.clock.now()).toISOString();
        if (outcome.kind === 'confirmed') {
          const r = outcome.result;
          this.update((s) => {
            s.pending = s.pending.filter((p) => p.clientId !== head.clientId);
            const prev = s.confirmed[head.slotId];
            if (!prev || prev.version <= r.version) {
              s.confirmed[head.slotId] = {
                clientId: head.clientId,
                slotId: head.slotId,
                entryId: r.entryId,
                values: head.values,
                total: r.total,
                version: r.version,
                createdAt: r.createdAt,
                duplicate: r.duplicate,
              };
            }
          });
          this.failures = 0;
          this.lastFailure = null;
        } else if (outcome.kind === 'rejected') {
          this.update((s) => {
            s.pending = s.pending.filter((p) => p.clientId !== head.clientId);
            s.rejected[head.slotId] = {
              clientId: head.clientId,
              slotId: head.slotId,
              values: head.values,
              localTotal: head.localTotal,
              status: outcome.status,
              code: outcome.code,
              message: outcome.message,
              at,
            };
          });
          this.failures = 0;
          this.lastFailure = null;
        } else {
          this.failures += 1;
          this.lastFailure = outcome.reason;
          this.update((s) => {
            const p = s.pending.find((x) => x.clientId === head.clientId);
            if (p) {
              p.attempts += 1;
              p.lastFailure = outcome.reason;
            }
          });
          // The network came back while this request was failing: try again now, not after the backoff.
          if (this.kickedWhileSending) {
            this.emit();
            continue;
          }
          if (!this.stopped) {
            const delay = backoffDelay(this.failures);
            this.nextRetryAt = this.deps.clock.now() + delay;
            this.timer = this.deps.clock.setTimeout(() => {
              this.timer = null;
              this.nextRetryAt = null;
              if (!this.sending && !this.stopped) void this.pump();
            }, delay);
          }
          break;
        }
        this.emit();
      }
    } finally {
      this.sending = false;
      this.emit();
    }
  }

  private async sendOnce(item: PendingSubmission): Promise<Classification> {
    const controller = new AbortController();
    const timer = this.deps.clock.setTimeout(() => controller.abort(), this.deps.timeoutMs);
    try {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      const locale = this.deps.locale?.();
      if (locale) headers['accept-language'] = locale;
      const res = await this.deps.fetch(this.deps.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ clientId: item.clientId, slotId: item.slotId, values: item.values }),
        signal: controller.signal,
        credentials: 'same-origin',
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return classifyResponse(res.status, body);
    } catch {
      return { kind: 'retry', reason: controller.signal.aborted ? 'timeout' : 'network', status: null };
    } finally {
      this.deps.clock.clearTimeout(timer);
    }
  }
}

/** What one slot shows: the submission waiting to go out, the latest confirmation, a refusal. */
export interface SlotSubmissionStatus {
  pending: PendingSubmission | null;
  confirmed: { values: Record<string, number>; total: number; version: number; createdAt: string } | null;
  rejected: RejectedSubmission | null;
}

/**
 * Merges the phone's outbox with what the server says this judge has on record for the slot (the
 * server's copy wins when it is newer, e.g. a revision made from another phone).
 */
export function slotStatus(
  slotId: string,
  snapshot: QueueState,
  serverMine: { values: Record<string, number>; total: number; version: number; createdAt: string } | null,
): SlotSubmissionStatus {
  const pendings = snapshot.pending.filter((p) => p.slotId === slotId);
  const local = snapshot.confirmed[slotId] ?? null;
  let confirmed: SlotSubmissionStatus['confirmed'] = local;
  if (serverMine && (!local || serverMine.version > local.version)) confirmed = serverMine;
  return {
    pending: pendings[pendings.length - 1] ?? null,
    confirmed: confirmed
      ? {
          values: confirmed.values,
          total: confirmed.total,
          version: confirmed.version,
          createdAt: confirmed.createdAt,
        }
      : null,
    rejected: snapshot.rejected[slotId] ?? null,
  };
}
