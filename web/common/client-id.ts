// A fresh id for a request a client may have to retry (a judge's score, a task's step): the server takes
// the same id once.

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
