/**
 * A book run's files as one book (DESIGN.md §5): `outline.md` first, then every chapter file it links, in
 * the outline's order. Links between the book's files are resolved to paths so that the exports can turn
 * them into in-document anchors.
 */
import { outlineLinks } from '../l2mac/book-checks.ts';
import { OUTLINE_PATH } from '../l2mac/prompts/book.ts';

export class BookExportError extends Error {
  override name = 'BookExportError';
}

export interface BookChapter {
  /** 1-based position in the outline. */
  number: number;
  path: string;
  /** The chapter's first heading, else the outline's link text, else the file name. */
  title: string;
  /** null when the outline links the file but it has not been written (or is empty). */
  markdown: string | null;
}

export interface Book {
  title: string;
  outline: string;
  chapters: BookChapter[];
  /** Markdown files the outline does not link (left out of the exports). */
  unlinked: string[];
}

const ATX_HEADING = /^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$/m;
const LINK_WITH_TEXT = /\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** The text of the first Markdown heading, without inline emphasis marks. */
export function firstHeading(markdown: string): string | null {
  const match = ATX_HEADING.exec(markdown);
  return match?.[2] ? match[2].replace(/[*_`]/g, '').trim() || null : null;
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * The book path a link in `fromFile` points to (relative links resolved against the file's folder,
 * `..` folded), or null for external links, anchors and links that leave the book.
 */
export function resolveBookLink(fromFile: string, href: string): string | null {
  let target = href.trim();
  if (target === '' || target.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return null;
  target = target.replace(/[?#].*$/, '');
  try {
    target = decodeURI(target);
  } catch {
    // A malformed escape: judge the link as written.
  }
  const parts = target.startsWith('/') ? [] : dirname(fromFile).split('/').filter(Boolean);
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.length ? parts.join('/') : null;
}

function linkTexts(outline: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const match of outline.matchAll(LINK_WITH_TEXT)) {
    const path = resolveBookLink(OUTLINE_PATH, match[2] ?? '');
    if (path && !texts.has(path)) texts.set(path, (match[1] ?? '').replace(/[*_`]/g, '').trim());
  }
  return texts;
}

/** The book in the files of a book run; a clear error when there is no outline or it links nothing. */
export function assembleBook(files: Readonly<Record<string, string>>): Book {
  const outline = files[OUTLINE_PATH];
  if (outline === undefined) throw new BookExportError(`This run has no ${OUTLINE_PATH}, so it cannot be exported as a book.`);
  const texts = linkTexts(outline);
  const paths = outlineLinks(outline)
    .map((link) => resolveBookLink(OUTLINE_PATH, link))
    .filter((path): path is string => path !== null && path !== OUTLINE_PATH);
  const unique = [...new Set(paths)];
  if (unique.length === 0) throw new BookExportError(`${OUTLINE_PATH} links no chapter files, so there is no book to export yet.`);
  const chapters = unique.map((path, i): BookChapter => {
    const content = files[path];
    const markdown = content !== undefined && content.trim() !== '' ? content : null;
    const fallback = texts.get(path) || path.split('/').pop() || path;
    return { number: i + 1, path, title: (markdown && firstHeading(markdown)) || fallback, markdown };
  });
  const linked = new Set(unique);
  const unlinked = Object.keys(files)
    .filter((path) => path !== OUTLINE_PATH && !linked.has(path) && /\.(md|markdown)$/i.test(path))
    .sort();
  return { title: firstHeading(outline) ?? 'Untitled book', outline, chapters, unlinked };
}

/** The in-document anchor of a chapter: `chapter-01`. */
export function chapterAnchor(chapter: Pick<BookChapter, 'number'>): string {
  return `chapter-${String(chapter.number).padStart(2, '0')}`;
}

/** A file name from the book's title: lower-case words joined by hyphens. */
export function bookFileName(title: string, extension: 'md' | 'html'): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'book'}.${extension}`;
}
