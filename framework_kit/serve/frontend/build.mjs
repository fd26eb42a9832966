// Bundle the studio's page once into ../static (committed, shipped in the wheel), with the
// licences of every package that ends up in the bundle. Run: npm ci && npm run build
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static");

const result = await build({
  entryPoints: { studio: join(here, "src", "main.js") },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome110", "firefox115", "safari16"],
  outdir: out,
  metafile: true,
  legalComments: "none", // gathered into LICENSES.txt instead
  logLevel: "warning",
});
// studio.css comes out of main.js's import; ../static/index.html is written by hand, not built.

// Every package whose code is in the bundle, with its licence text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!match) continue;
  const folder = join(here, input.slice(0, match.index + match[0].length));
  if (packages.has(match[1])) continue;
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const licenceFile = readdirSync(folder).find((name) => /^(licen[sc]e|copying)(\.|$)/i.test(name));
  packages.set(match[1], {
    name: meta.name, version: meta.version, licence: meta.license || "see below",
    text: licenceFile ? readFileSync(join(folder, licenceFile), "utf8").trim() : "(no licence file in the package)",
  });
}
const sorted = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
const header = [
  "The studio's page (studio.js) bundles the following packages from npm.",
  "Built by framework_kit/serve/frontend/build.mjs from package-lock.json.",
  "",
  ...sorted.map((p) => `- ${p.name} ${p.version} (${p.licence})`),
  "",
];
const texts = sorted.map((p) => `${"=".repeat(72)}\n${p.name} ${p.version}\n${"=".repeat(72)}\n${p.text}\n`);
writeFileSync(join(out, "LICENSES.txt"), header.join("\n") + "\n" + texts.join("\n"));
const size = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`built ${out}: ${(size / 1024).toFixed(0)} kB of script, ${sorted.length} packages`);
if (!existsSync(join(out, "studio.js"))) process.exit(1);
