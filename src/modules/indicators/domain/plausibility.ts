// Values worth a second look before they count: not wrong by rule, but most often a slip of the hand.

/**
 * A negative value where the indicator's whole range, its baseline and its target, is not: a count, an
 * area or an amount, where a minus sign is a typo. A growth rate with a positive baseline and target
 * can fall below zero, so this asks for a confirmation (and flags an imported row); it never refuses.
 */
export const unusualActual = (def: { baseline: number; target: number }, value: number): 'negative' | null =>
  value < 0 && def.baseline >= 0 && def.target >= 0 ? 'negative' : null;
