import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charWidthEm, textWidthEm, wrapText } from '../../src/modules/reports/domain/text-measure.ts';

describe('CJK text measuring', () => {
  it('counts full-width characters as one em and Latin ones narrower, capitals wider', () => {
    expect(textWidthEm('晒拼')).toBe(2);
    expect(textWidthEm('，。（）')).toBe(4);
    expect(charWidthEm('a')).toBe(0.6);
    expect(charWidthEm('W')).toBe(0.85);
    expect(textWidthEm('１２')).toBe(2);
  });

  it('breaks between CJK characters, never before a closing mark nor after an opening one', () => {
    expect(wrapText('完成率达到百分之九十', 4)).toEqual(['完成率达', '到百分之', '九十']);
    // 「，」 cannot start a line: it goes up with the character before it, which moves down with it.
    const lines = wrapText('晒成绩晒短板，比干劲', 6);
    expect(lines.every((l) => !'，。）」'.includes(l[0]!))).toBe(true);
    expect(wrapText('（一网通办）第一', 5).some((l) => l.endsWith('（'))).toBe(false);
  });

  it('keeps Latin words and numbers whole unless one alone is wider than the line', () => {
    expect(wrapText('GDP growth', 4)).toEqual(['GDP', 'growth']);
    expect(wrapText('增速 6.5%', 3)).toEqual(['增速', '6.5%']);
    expect(wrapText('1234567890', 3).join('')).toBe('1234567890');
    expect(wrapText('一\n\n二', 5)).toEqual(['一', '', '二']);
  });

  it('never makes a line wider than asked, and loses no character (random text)', () => {
    const alphabet = fc.constantFrom(...'晒拼比学赶超，。、（）「」ABCmw xyz0123456789%.-'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), fc.integer({ min: 2, max: 40 }), (chars, width) => {
        const text = chars.join('');
        const lines = wrapText(text, width);
        for (const l of lines) expect(textWidthEm(l)).toBeLessThanOrEqual(width + 1e-9);
        expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
      { numRuns: 400 },
    );
  });
});
