// What a judge has typed for a unit and not sent yet, kept on the phone per judge and unit: it survives
// a reload, and it is what the phone shows back when the unit's scoring closed before it was sent.

export type Texts = Record<string, string>;

export const draftKey = (judgeId: string, slotId: string) => `shaipin.judge.draft.v1.${judgeId}.${slotId}`;

export function readDraft(storage: Storage | null, key: string): Texts | null {
  try {
    const raw = storage?.getItem(key);
    const v: unknown = raw ? JSON.parse(raw) : null;
    return typeof v === 'object' && v !== null ? (v as Texts) : null;
  } catch {
    return null;
  }
}

export function writeDraft(storage: Storage | null, key: string, texts: Texts | null): void {
  try {
    if (texts === null) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(texts));
  } catch {
    // A lost draft costs a few taps; the outbox itself reports storage trouble.
  }
}

/** Whether the judge typed anything at all. */
export const hasText = (texts: Texts | null): texts is Texts =>
  texts !== null && Object.values(texts).some((v) => typeof v === 'string' && v.trim() !== '');
