/**
 * The parts of Monaco the studio uses, instead of `monaco-editor`'s index, which bundles
 * some 80 languages and the CSS and HTML services (their workers alone are ≈ 1.8 MB) that no
 * function folder needs. Kept: the editor with all its features (find, folding, suggest,
 * hover, …), JavaScript and TypeScript (handlers) with their language service, and JSON
 * (events, settings, mock rules) with its validation.
 */
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import * as typescript from 'monaco-editor/languages/features/typescript/register';
import * as json from 'monaco-editor/languages/features/json/register';

export * from 'monaco-editor/editor/editor.api';
export { typescript, json };
