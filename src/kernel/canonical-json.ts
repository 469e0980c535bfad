// The one canonical JSON of the product. The score ledger hashes it (entryHash), so a third-party
// verifier must produce the very same text: keys sorted by UTF-16 code units at every level, object
// members whose value is undefined left out (as JSON.stringify does), arrays in order, no spaces.
/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
