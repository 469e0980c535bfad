// Who may take the results out of the system, and when: one rule for the routes and for the buttons
// the console shows (a button a role cannot use is not shown).

export type ResultsFile = 'xlsx' | 'print' | 'json';

/**
 * The organizer always. Observers always; leaders the workbook and the print once the results are
 * published; nobody else. (While a slot is open, the server also refuses non-organizers with
 * scoring_in_progress: that is a moment, not a right.)
 */
export function mayExport(role: string, file: ResultsFile, published: boolean): boolean {
  if (role === 'organizer' || role === 'observer') return true;
  return role === 'leader' && file !== 'json' && published;
}
