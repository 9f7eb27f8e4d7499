/**
 * A code frame: the line a span starts on, one line of context above it, and an underline
 * (a caret under the first character, tildes under the rest) — the shape clang and tsc print.
 *
 *     2 |   let sum = 0;
 *   > 3 |   with (obj) {
 *       |   ^~~~
 */

/** Where a line sits in the source: its 1-based number and its text without the line break. */
interface SourceLine {
  number: number;
  text: string;
  /** 0-based offset of the line's first character. */
  start: number;
}

/**
 * The frame for the span `[start, start + length)` of `sourceText`, or "" when the span does not
 * lie inside the text (a diagnostic computed against a different version of the file).
 * A span that runs past the end of its first line is underlined to the end of that line.
 */
export function formatCodeFrame(sourceText: string, start: number, length: number): string {
  if (!Number.isInteger(start) || start < 0 || start > sourceText.length) return "";
  const lines = splitLines(sourceText);
  const index = lines.findIndex((line) => start <= line.start + line.text.length);
  if (index < 0) return "";
  const line = lines[index];
  const previous = index > 0 ? lines[index - 1] : undefined;

  const gutterWidth = String(line.number).length;
  const gutter = (label: string) => label.padStart(gutterWidth);
  const column = start - line.start;
  const underlineLength = Math.max(1, Math.min(Math.max(length, 1), line.text.length - column));

  const rows: string[] = [];
  if (previous !== undefined) rows.push(`  ${gutter(String(previous.number))} | ${previous.text}`.trimEnd());
  rows.push(`> ${gutter(String(line.number))} | ${line.text}`.trimEnd());
  rows.push(`  ${gutter("")} | ${indentLike(line.text.slice(0, column))}^${"~".repeat(underlineLength - 1)}`);
  return rows.join("\n");
}

/** Spaces the width of `prefix`, keeping its tabs so the underline lines up in any tab width. */
function indentLike(prefix: string): string {
  return prefix.replace(/[^\t]/g, " ");
}

/** Splits on \n, \r\n and \r, remembering where each line starts. */
function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  const lineBreak = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = lineBreak.exec(text); match !== null; match = lineBreak.exec(text)) {
    lines.push({ number: lines.length + 1, text: text.slice(start, match.index), start });
    start = match.index + match[0].length;
  }
  lines.push({ number: lines.length + 1, text: text.slice(start), start });
  return lines;
}
