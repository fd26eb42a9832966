// Completion from the spec format's JSON Schema (what `kit schema` prints): the keys a
// mapping may hold, and the values an enum field takes. The place in the design is read
// from the indentation of the lines above, which also works while a line is half typed
// (the YAML parser sees a half-typed key as a plain scalar, not as a key).

const LINE = /^(\s*)((?:-\s+)*)(.*)$/;

// Column of the key, the columns of the dashes before it, and the key's name if any.
function shape(text) {
  const [, spaces, dashes, rest] = LINE.exec(text);
  const dashColumns = [];
  let column = spaces.length;
  for (const part of dashes.match(/-\s+/g) || []) {
    dashColumns.push(column);
    column += part.length;
  }
  const key = /^([A-Za-z_][\w-]*)\s*:(\s|$)/.exec(rest);
  return { column, dashColumns, key: key ? key[1] : null, blank: rest === "" || rest.startsWith("#") };
}

// The path from the top of the design to the mapping the line `number` belongs to:
// property names, and "[]" for an item of a list.
export function pathAt(doc, number) {
  const here = shape(doc.line(number).text);
  const path = [];
  let column = here.column;
  if (here.dashColumns.length) {
    path.unshift("[]");
    column = here.dashColumns[here.dashColumns.length - 1];
  }
  for (let n = number - 1; n >= 1 && column > 0; n -= 1) {
    const line = shape(doc.line(n).text);
    if (line.blank) continue;
    const dash = line.dashColumns.length ? line.dashColumns[line.dashColumns.length - 1] : -1;
    if (line.column === column && dash >= 0) { // a sibling key that opens our list item
      path.unshift("[]");
      column = dash;
    } else if (line.column < column) {
      if (!line.key) return null; // inside a scalar or a flow value: no completion
      path.unshift(line.key);
      column = line.column;
      if (dash >= 0) { path.unshift("[]"); column = dash; }
    }
  }
  return path;
}

// The schema options a node stands for (anyOf / oneOf flattened).
function variants(node) {
  if (!node) return [];
  const nested = [...(node.anyOf || []), ...(node.oneOf || [])];
  return nested.length ? nested.flatMap(variants).concat([node]) : [node];
}

export function schemaAt(schema, path) {
  let nodes = [schema];
  for (const step of path) {
    nodes = nodes.flatMap(variants).flatMap((node) => {
      if (step === "[]") return node.items ? [node.items] : [];
      return node.properties && node.properties[step] ? [node.properties[step]] : [];
    });
  }
  return nodes.flatMap(variants);
}

function keyOptions(nodes) {
  const seen = new Map();
  for (const node of nodes) {
    for (const [name, property] of Object.entries(node.properties || {})) {
      if (!seen.has(name)) seen.set(name, property);
    }
  }
  const required = new Set(nodes.flatMap((node) => node.required || []));
  return [...seen].map(([name, property]) => ({
    label: name, type: "property", apply: `${name}: `,
    detail: required.has(name) ? "required" : undefined,
    info: property.description,
    boost: required.has(name) ? 1 : 0,
  }));
}

function valueOptions(nodes) {
  const values = new Set();
  for (const node of nodes) {
    for (const value of node.enum || []) values.add(value);
    if (node.const !== undefined) values.add(node.const);
    if ([].concat(node.type).includes("boolean")) { values.add(true); values.add(false); }
  }
  return [...values].map((value) => ({ label: String(value), type: "enum" }));
}

export function schemaCompletion(getSchema) {
  return (context) => {
    const schema = getSchema();
    if (!schema) return null;
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (/#/.test(before)) return null;
    const value = /^(\s*(?:-\s+)*)([A-Za-z_][\w-]*)\s*:\s+([\w-]*)$/.exec(before);
    const key = /^\s*(?:-\s+)*([\w-]*)$/.exec(before);
    if (!value && !key) return null;
    const path = pathAt(context.state.doc, line.number);
    if (!path) return null;
    if (value) {
      const options = valueOptions(schemaAt(schema, [...path, value[2]]));
      return options.length ? { from: context.pos - value[3].length, options, validFor: /^[\w-]*$/ } : null;
    }
    if (!key[1] && !context.explicit) return null;
    const options = keyOptions(schemaAt(schema, path));
    return options.length ? { from: context.pos - key[1].length, options, validFor: /^[\w-]*$/ } : null;
  };
}
