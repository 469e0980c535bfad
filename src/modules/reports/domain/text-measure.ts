// Honest text measuring for slides without a font at hand: every full-width character (CJK ideographs,
// kana, hangul, full-width forms and CJK punctuation) takes one em; everything else is counted at a
// conservative 0.6 em (0.85 for capitals and m, w), wider than the Latin glyphs of the fonts we declare. Lines break
// as Chinese typesetting does: between any two CJK characters, at spaces between Latin words, never
// before a closing mark (，。）」…) nor after an opening one (（「…), and inside a word only when the
// word alone is longer than the line.

const HALF_WIDTH_EM = 0.6;
/** Capitals and the wide lower-case letters run wider than the average Latin glyph. */
const WIDE_LATIN_EM = 0.85;
const WIDE_LATIN = /[A-Zmw@%&]/;

/** Full-width ranges: CJK punctuation, kana, CJK ideographs (+ext A), hangul, full-width forms. */
function isFullWidth(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd) ||
    // ×, ÷, ·, —, …, ‰, ℃ and the arrows are drawn full-width by CJK fonts.
    cp === 0xd7 ||
    cp === 0xf7 ||
    cp === 0xb7 ||
    cp === 0x2014 ||
    cp === 0x2026 ||
    cp === 0x2030 ||
    cp === 0x2103 ||
    (cp >= 0x2190 && cp <= 0x21ff) ||
    (cp >= 0x2460 && cp <= 0x24ff) ||
    (cp >= 0x25a0 && cp <= 0x27bf)
  );
}

export const charWidthEm = (ch: string): number =>
  isFullWidth(ch.codePointAt(0) ?? 0) ? 1 : WIDE_LATIN.test(ch) ? WIDE_LATIN_EM : HALF_WIDTH_EM;

export const textWidthEm = (text: string): number => {
  let w = 0;
  for (const ch of text) w += charWidthEm(ch);
  return w;
};

/** Marks that may not begin a line (they hang on the previous character). */
const NO_LINE_START = new Set([...'，。、；：！？）」』】》〉”’・…—%‰℃,.;:!?)]}']);
/** Marks that may not end a line (they go down with the next character). */
const NO_LINE_END = new Set([...'（「『【《〈“‘([{']);

/** Unbreakable pieces: a CJK character, a Latin word, a space; with the marks glued to them. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let word = '';
  const flush = () => {
    if (word) out.push(word);
    word = '';
  };
  for (const ch of text) {
    if (ch === ' ' || ch === '\t') {
      flush();
      out.push(' ');
    } else if (isFullWidth(ch.codePointAt(0) ?? 0) || NO_LINE_START.has(ch) || NO_LINE_END.has(ch)) {
      flush();
      out.push(ch);
    } else word += ch;
  }
  flush();
  // Glue: a closing mark to what precedes it, an opening mark to what follows.
  const glued: string[] = [];
  for (const p of out) {
    const prev = glued[glued.length - 1];
    if (prev !== undefined && prev !== ' ' && NO_LINE_START.has([...p][0] ?? ''))
      glued[glued.length - 1] = prev + p;
    else if (prev !== undefined && NO_LINE_END.has([...prev].at(-1) ?? '') && p !== ' ')
      glued[glued.length - 1] = prev + p;
    else glued.push(p);
  }
  return glued;
}

/**
 * The text broken into lines no wider than `widthEm`, each explicit newline kept. A piece wider than a
 * whole line (a long number, a URL) is cut by characters, the only way it can fit.
 */
export function wrapText(text: string, widthEm: number): string[] {
  if (widthEm < 1) throw new RangeError('a line must hold at least one full-width character');
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    let width = 0;
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
      width = 0;
    };
    for (const piece of pieces(paragraph)) {
      const w = textWidthEm(piece);
      if (piece === ' ') {
        if (line !== '' && width + w <= widthEm) {
          line += piece;
          width += w;
        }
        continue;
      }
      if (width + w <= widthEm) {
        line += piece;
        width += w;
        continue;
      }
      if (line.trim() !== '') push();
      if (w <= widthEm) {
        line = piece;
        width = w;
        continue;
      }
      for (const ch of piece) {
        const c = charWidthEm(ch);
        if (width + c > widthEm) push();
        line += ch;
        width += c;
      }
    }
    push();
  }
  return lines;
}
