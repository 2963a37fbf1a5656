// Owns the one way normalization removes text: every character becomes a space except line
// terminators, so each line and column after it stays where it was. Pure string functions.

/** True for the line terminators of JavaScript (LF, CR, LS, PS). */
function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/** True when `text[start, end)` holds a line terminator. */
export function hasLineBreak(text: string, start = 0, end = text.length): boolean {
  for (let i = start; i < end; i++) if (isLineBreak(text.charCodeAt(i))) return true;
  return false;
}

const SPACES = ' '.repeat(256);

/** `count` spaces; a slice of one string for the short runs that blanking mostly makes. */
function spaces(count: number): string {
  return count <= SPACES.length ? SPACES.slice(0, count) : ' '.repeat(count);
}

/** `text[start, end)` with every character but line terminators turned into a space. */
export function blankText(text: string, start = 0, end = text.length): string {
  let blanked = '';
  let runStart = start;
  for (let i = start; i < end; i++) {
    if (!isLineBreak(text.charCodeAt(i))) continue;
    blanked += spaces(i - runStart) + text[i];
    runStart = i + 1;
  }
  return blanked + spaces(end - runStart);
}
