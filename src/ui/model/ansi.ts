/**
 * Process output as HTML (DESIGN.md §9): ANSI colours become classes, everything else is escaped text.
 * ansi_up escapes `<`, `>`, `&`, quotes; its OSC 8 hyperlinks are turned off (an empty allowlist), so output
 * can never produce a link or any other element than the colour spans.
 */
import { AnsiUp } from 'ansi_up';

export function createAnsiRenderer(): (text: string) => string {
  const renderer = new AnsiUp();
  renderer.use_classes = true;
  renderer.escape_html = true;
  renderer.url_allowlist = {};
  return (text) => renderer.ansi_to_html(text);
}

/** One-shot conversion (a fresh renderer, so no colour state leaks between unrelated texts). */
export function ansiToHtml(text: string): string {
  return createAnsiRenderer()(text);
}
