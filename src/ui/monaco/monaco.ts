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

export { monaco };
export type Monaco = typeof monaco;
