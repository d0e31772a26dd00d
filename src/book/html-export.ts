/**
 * The book as one self-contained HTML file. The text is the model's, so it is treated as hostile: raw HTML
 * is shown as text, images become their alt text (an image URL is how an injected prompt exfiltrates
 * data), links keep only http(s) and mailto addresses or point inside the book, and a final allow-list
 * check refuses any element or attribute the renderer is not meant to produce. The page's own
 * Content-Security-Policy forbids scripts and every remote load, and its CSS is inline.
 */
import { Marked, type Tokens } from 'marked';
import { OUTLINE_PATH } from '../l2mac/prompts/book.ts';
import { chapterAnchor, resolveBookLink, type Book, type BookChapter } from './book.ts';
import { BOOK_CSS } from './book-css.ts';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const SAFE_SCHEME = /^(?:https?:|mailto:)/i;

/** The address a link may keep: an in-book anchor, or an absolute http(s)/mailto URL; else null. */
export function safeHref(fromFile: string, href: string, anchors: ReadonlyMap<string, string>): string | null {
  const trimmed = href.trim();
  const path = resolveBookLink(fromFile, trimmed);
  if (path !== null) return anchors.has(path) ? `#${anchors.get(path)}` : null;
  if (/^#[\w-]+$/.test(trimmed)) return trimmed;
  if (!SAFE_SCHEME.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

function renderer(fromFile: string, anchors: ReadonlyMap<string, string>): Marked {
  return new Marked({
    gfm: true,
    async: false,
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      image: ({ text }: Tokens.Image) => `<span class="image-alt">[image: ${escapeHtml(text || 'untitled')}]</span>`,
      checkbox: ({ checked }: Tokens.Checkbox) => (checked ? '☑ ' : '☐ '),
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const safe = safeHref(fromFile, href, anchors);
        if (safe === null) return inner;
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        const external = safe.startsWith('#') ? '' : ' rel="noopener noreferrer nofollow"';
        return `<a href="${escapeHtml(safe)}"${titleAttr}${external}>${inner}</a>`;
      },
    },
  });
}

const ALLOWED_TAGS = new Set([
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 'span',
  'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'rel', 'class', 'align', 'start']);
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=>]+)(?:="([^"]*)")?/g;

/**
 * Throws when rendered Markdown holds an element or attribute outside the allow-list (or an href that is
 * not an anchor or http(s)/mailto): the last line of defence should the renderer ever let one through.
 */
export function assertAllowedMarkup(html: string): void {
  const opened = html.match(/<\/?[a-zA-Z]/g)?.length ?? 0;
  const tags = [...html.matchAll(TAG)];
  if (tags.length !== opened) throw new Error("The book's HTML would contain a tag the check cannot read.");
  for (const tag of tags) {
    const name = (tag[1] ?? '').toLowerCase();
    if (!ALLOWED_TAGS.has(name)) throw new Error(`The book's HTML would contain a <${name}> element.`);
    for (const attribute of (tag[2] ?? '').matchAll(ATTRIBUTE)) {
      const attr = (attribute[1] ?? '').toLowerCase();
      if (!ALLOWED_ATTRIBUTES.has(attr)) throw new Error(`The book's HTML would contain a ${attr} attribute.`);
      if (attr === 'href' && !/^(?:#|https?:|mailto:)/i.test(attribute[2] ?? '')) throw new Error('The book\'s HTML would contain an unsafe link.');
    }
  }
}

/** Markdown of one book file as checked HTML. */
export function renderBookMarkdown(markdown: string, fromFile: string, anchors: ReadonlyMap<string, string>): string {
  const html = renderer(fromFile, anchors).parse(markdown) as string;
  assertAllowedMarkup(html);
  return html;
}

function chapterHtml(chapter: BookChapter, anchors: ReadonlyMap<string, string>): string {
  const body =
    chapter.markdown === null
      ? `<h1>${escapeHtml(chapter.title)}</h1>\n<p class="missing">This chapter has not been written yet (${escapeHtml(chapter.path)}).</p>`
      : renderBookMarkdown(chapter.markdown, chapter.path, anchors);
  return `<section class="chapter" id="${chapterAnchor(chapter)}">\n${body}</section>`;
}

// No script may run and nothing may load from anywhere; only the inline stylesheet applies.
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** One self-contained HTML page: the outline as the contents, then every chapter. */
export function bookToHtml(book: Book): string {
  const anchors = new Map(book.chapters.map((chapter) => [chapter.path, chapterAnchor(chapter)] as const));
  const sections = [
    `<nav class="outline" id="contents">\n${renderBookMarkdown(book.outline, OUTLINE_PATH, anchors)}</nav>`,
    ...book.chapters.map((chapter) => chapterHtml(chapter, anchors)),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="L2MAC Web">
<title>${escapeHtml(book.title)}</title>
<style>
${BOOK_CSS}
</style>
</head>
<body>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
