/**
 * The book as one Markdown file: the outline, then every chapter in the outline's order, separated by
 * rules. Links to chapter files become links to the chapters' headings in the same file (GitHub-style
 * heading anchors), so the outline still works as a table of contents.
 */
import { OUTLINE_PATH } from '../l2mac/prompts/book.ts';
import { firstHeading, resolveBookLink, type Book, type BookChapter } from './book.ts';

/** The anchor GitHub and most Markdown viewers give a heading. */
export function headingSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

const INLINE_LINK = /(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?)\s*\)/g;

/** Rewrites `[text](chapters/02-x.md)` to `[text](#anchor)` outside fenced code blocks. */
export function rewriteChapterLinks(markdown: string, fromFile: string, anchors: ReadonlyMap<string, string>): string {
  const lines = markdown.split('\n');
  let fence: string | null = null;
  return lines
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (marker) {
        if (fence === null) fence = marker[0]!;
        else if (marker[0] === fence) fence = null;
        return line;
      }
      if (fence !== null) return line;
      return line.replace(INLINE_LINK, (whole, bang: string, text: string, href: string, title: string) => {
        if (bang) return whole;
        const path = resolveBookLink(fromFile, href);
        const anchor = path ? anchors.get(path) : undefined;
        return anchor ? `[${text}](#${anchor}${title})` : whole;
      });
    })
    .join('\n');
}

function chapterMarkdown(chapter: BookChapter): string {
  if (chapter.markdown === null) {
    return `# ${chapter.title}\n\n*This chapter has not been written yet (${chapter.path}).*`;
  }
  const body = chapter.markdown.trim();
  return firstHeading(body) === null ? `# ${chapter.title}\n\n${body}` : body;
}

/** One Markdown document: the outline and every chapter, in order. */
export function bookToMarkdown(book: Book): string {
  const anchors = new Map(book.chapters.map((chapter) => [chapter.path, headingSlug(chapter.title)] as const));
  const parts = [rewriteChapterLinks(book.outline.trim(), OUTLINE_PATH, anchors)];
  for (const chapter of book.chapters) parts.push(rewriteChapterLinks(chapterMarkdown(chapter), chapter.path, anchors));
  return `${parts.join('\n\n---\n\n')}\n`;
}
