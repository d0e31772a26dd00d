/**
 * Book export (DESIGN.md §5): a book run's Markdown files as ONE Markdown file and as ONE self-contained
 * HTML file, the outline first and every chapter in the outline's order.
 */
import { assembleBook, bookFileName, type Book } from './book.ts';
import { bookToHtml } from './html-export.ts';
import { bookToMarkdown } from './markdown-export.ts';

export { assembleBook, BookExportError, type Book, type BookChapter } from './book.ts';
export { bookToHtml } from './html-export.ts';
export { bookToMarkdown } from './markdown-export.ts';

export type BookFormat = 'markdown' | 'html';

export interface BookExport {
  fileName: string;
  mimeType: string;
  content: string;
  title: string;
  /** The chapter files included, in order. */
  chapters: string[];
  /** Chapters the outline links that are not written yet (a placeholder stands in for each). */
  missing: string[];
  /** Markdown files the outline does not link, left out. */
  unlinked: string[];
}

/** The whole book in one file; a BookExportError when the files are not a book (no outline, no chapters). */
export function exportBook(files: Readonly<Record<string, string>>, format: BookFormat): BookExport {
  const book: Book = assembleBook(files);
  const markdown = format === 'markdown';
  return {
    fileName: bookFileName(book.title, markdown ? 'md' : 'html'),
    mimeType: markdown ? 'text/markdown;charset=utf-8' : 'text/html;charset=utf-8',
    content: markdown ? bookToMarkdown(book) : bookToHtml(book),
    title: book.title,
    chapters: book.chapters.map((c) => c.path),
    missing: book.chapters.filter((c) => c.markdown === null).map((c) => c.path),
    unlinked: book.unlinked,
  };
}
