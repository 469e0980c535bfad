// A partial update over a current value, the way every PATCH route means it: a field left out (or sent
// as undefined) keeps its value; null is a value (it clears a nullable field).
export function applyPatch<T extends object>(base: T, patch: { [K in keyof T]?: T[K] | undefined }): T {
  const out = { ...base };
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const value = patch[key];
    if (value !== undefined) out[key] = value as T[keyof T];
  }
  return out;
}
