// The spec editor: CodeMirror 6 with YAML, completion from the project's JSON Schema,
// and the server's diagnostics as lint markers at their exact line and column.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { forEachDiagnostic, lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers, rectangularSelection } from "@codemirror/view";
import { schemaCompletion } from "./complete.js";

// A diagnostic's column counts characters (code points); CodeMirror counts UTF-16 units.
function offsetOf(doc, line, column) {
  const number = Math.min(Math.max(line, 1), doc.lines);
  const text = doc.line(number);
  let units = 0;
  let characters = 1;
  for (const character of text.text) {
    if (characters >= column) break;
    units += character.length;
    characters += 1;
  }
  return { from: text.from + units, line: text };
}

// Mark the token the diagnostic points at (a key, a value), at least one character.
function rangeOf(doc, line, column) {
  const { from, line: text } = offsetOf(doc, line, column);
  const rest = text.text.slice(from - text.from);
  const token = /^[^\s:,\]\}#]+/.exec(rest);
  const to = Math.min(text.to, from + (token ? token[0].length : Math.max(rest.length, 1)));
  return { from: Math.min(from, text.to), to: Math.max(to, Math.min(from + 1, doc.length)) };
}

export function toLint(doc, diagnostics, onExplain) {
  return diagnostics.map((d) => {
    const { from, to } = rangeOf(doc, d.line || 1, d.column || 1);
    return {
      from, to,
      severity: d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "info",
      source: d.code,
      message: `${d.code} ${d.message}${d.help ? `\nhelp: ${d.help}` : ""}`,
      actions: [{ name: `Explain ${d.code}`, apply: () => onExplain(d.code) }],
    };
  });
}

export function createEditor(parent, { onChange, onSave }) {
  const theme = EditorView.theme({
    "&": { height: "100%", fontSize: "14px" },
    ".cm-scroller": { fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace", lineHeight: "1.5" },
    ".cm-tooltip-lint": { maxWidth: "36em", whiteSpace: "pre-wrap" },
  });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(),
        drawSelection(), indentOnInput(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        bracketMatching(), closeBrackets(), rectangularSelection(), highlightActiveLine(),
        highlightSelectionMatches(), indentUnit.of("  "), EditorState.tabSize.of(2),
        yaml(), lintGutter(), theme, EditorView.lineWrapping,
        autocompletion({ override: [schemaCompletion(() => schema)] }),
        keymap.of([
          { key: "Mod-s", preventDefault: true, run: () => { onSave(); return true; } },
          indentWithTab, ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap,
          ...foldKeymap, ...completionKeymap, ...lintKeymap,
        ]),
        EditorView.updateListener.of((update) => { if (update.docChanged) onChange(update); }),
      ],
    }),
  });
  return view;
}

// Completion of keys and values from the spec format's JSON Schema (GET /api/schema),
// offered once the schema has arrived; until then the editor works without it.
let schema = null;
export function useSchema(value) { schema = value; }

export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

export function showDiagnostics(view, items) {
  view.dispatch(setDiagnostics(view.state, items));
}

// The markers the editor holds now, as line and column (for tests and the problem list).
export function markers(view) {
  const out = [];
  forEachDiagnostic(view.state, (d, from) => {
    const line = view.state.doc.lineAt(from);
    out.push({ line: line.number, column: from - line.from + 1, code: d.source, severity: d.severity,
               text: view.state.sliceDoc(from, d.to) });
  });
  return out;
}
