/**
 * The read-only Monaco viewer's entry (DESIGN.md §2, §9), loaded only through `load-monaco.ts` when a
 * file is first opened. Slim entry points: the editor API, its editor contributions, and the syntax
 * colouring of the languages generated projects use. No language services: the viewer is read-only, so
 * the TypeScript worker (1.45 MB gzip) is never loaded; the editor worker (diffs, links) is the only one.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/css/register';
import 'monaco-editor/languages/definitions/html/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/shell/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

// Monaco's own themes with the app's surfaces, so the viewer sits in the page rather than on top of it.
monaco.editor.defineTheme('l2mac-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff', 'editorGutter.background': '#ffffff', 'editorLineNumber.foreground': '#9aa0ab' },
});
monaco.editor.defineTheme('l2mac-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#161920', 'editorGutter.background': '#161920', 'editorLineNumber.foreground': '#5d6472' },
});

export { monaco };
export type Monaco = typeof monaco;
