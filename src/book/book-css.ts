/** The exported book's stylesheet: inline in the page (no remote fonts or files), print- and dark-friendly. */
export const BOOK_CSS = `:root { color-scheme: light dark; --ink: #1d1d1f; --paper: #fdfcf8; --muted: #6b6b70; --rule: #d8d4ca; --link: #1f5fa8; --code: #f1eee6; }
@media (prefers-color-scheme: dark) { :root { --ink: #e8e6e1; --paper: #1b1b1d; --muted: #a3a09a; --rule: #3a3936; --link: #8cb8ec; --code: #2a2927; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 1.0625rem/1.65 Georgia, "Iowan Old Style", "Palatino Linotype", serif; }
main { max-width: 42rem; margin: 0 auto; padding: 3rem 1.25rem 5rem; }
h1, h2, h3, h4 { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.25; margin: 2rem 0 0.75rem; }
h1 { font-size: 2rem; }
h2 { font-size: 1.4rem; }
h3 { font-size: 1.15rem; }
p, ul, ol, blockquote, pre, table { margin: 0 0 1rem; }
a { color: var(--link); }
blockquote { margin-left: 0; padding-left: 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; background: var(--code); padding: 0.1em 0.3em; border-radius: 3px; }
pre { background: var(--code); padding: 0.9rem 1rem; overflow-x: auto; border-radius: 4px; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--rule); padding: 0.35rem 0.6rem; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
.outline { padding-bottom: 1.5rem; border-bottom: 1px solid var(--rule); }
.chapter { padding-top: 1rem; }
.chapter + .chapter { border-top: 1px solid var(--rule); margin-top: 3rem; }
.image-alt, .missing { color: var(--muted); font-style: italic; }
@media print { body { background: #fff; color: #000; } main { max-width: none; padding: 0; } .chapter { break-before: page; } a { color: inherit; } }`;
