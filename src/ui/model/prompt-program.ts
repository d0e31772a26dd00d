/**
 * The optional prompt program of the New run form (DESIGN.md §4: a user may supply the steps): one step
 * per line, or a numbered / bulleted list whose items may span several lines.
 */

const ITEM_START = /^\s*(?:\d+[.)]|[-*•])\s+/;

export function parsePromptProgram(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const listed = lines.some((line) => ITEM_START.test(line));
  if (!listed) return lines.map((line) => line.trim()).filter(Boolean);

  const steps: string[] = [];
  for (const line of lines) {
    if (ITEM_START.test(line)) {
      steps.push(line.replace(ITEM_START, '').trim());
    } else if (line.trim()) {
      // A continuation line of the item above (or text before the first item, which starts one).
      if (steps.length) steps[steps.length - 1] = `${steps[steps.length - 1]}\n${line.trim()}`;
      else steps.push(line.trim());
    }
  }
  return steps.filter(Boolean);
}

/** The text form of a plan, for editing: a numbered list, continuation lines indented. */
export function formatPromptProgram(steps: readonly string[]): string {
  return steps.map((step, i) => `${i + 1}. ${step.split('\n').join('\n   ')}`).join('\n');
}
