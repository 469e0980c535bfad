// Whose indicator data a reader may open: one rule for the routes and for the links the web draws, so
// no page links to what its reader would be refused.

export interface Reader {
  role: string;
  unitId: string | null;
}

/**
 * A unit's page, and the indicators it answers for: everyone who reads dashboards, except that a reporter
 * reads their own unit only (and the indicators it co-owns).
 */
export function readsUnitData(reader: Reader, unitId: string, coUnitIds: readonly string[] = []): boolean {
  if (reader.role !== 'reporter') return true;
  return reader.unitId === unitId || (reader.unitId !== null && coUnitIds.includes(reader.unitId));
}
