// Copies the third-party front-end files the templates use from node_modules into
// kefu/web/static/dist/ (gitignored). No bundler: every file is a prebuilt dist file of its package.
//
//   npm ci && npm run build
//
// The build fails loudly when a file is missing, or when a copied CSS/JS file refers (url(...),
// sourceMappingURL) to a file that was not copied: Django's ManifestStaticFilesStorage would
// otherwise fail later, at collectstatic time, with a less helpful message.

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NODE_MODULES = join(ROOT, "node_modules");
const DIST = join(ROOT, "kefu", "web", "static", "dist");
const require = createRequire(import.meta.url);

// [package, file inside the package, destination inside dist/]
const FILES = [
  ["@tabler/core", "dist/css/tabler.min.css", "tabler/css/tabler.min.css"],
  ["@tabler/core", "dist/css/tabler.min.css.map", "tabler/css/tabler.min.css.map"],
  ["@tabler/core", "dist/js/tabler.min.js", "tabler/js/tabler.min.js"],
  ["@tabler/core", "dist/js/tabler.min.js.map", "tabler/js/tabler.min.js.map"],
  ["@tabler/icons-webfont", "dist/tabler-icons.min.css", "tabler-icons/tabler-icons.min.css"],
  ["@tabler/icons-webfont", "dist/fonts/tabler-icons.woff2", "tabler-icons/fonts/tabler-icons.woff2"],
  ["@tabler/icons-webfont", "dist/fonts/tabler-icons.woff", "tabler-icons/fonts/tabler-icons.woff"],
  ["@tabler/icons-webfont", "dist/fonts/tabler-icons.ttf", "tabler-icons/fonts/tabler-icons.ttf"],
  ["htmx.org", "dist/htmx.min.js", "htmx/htmx.min.js"],
  ["echarts", "dist/echarts.min.js", "echarts/echarts.min.js"],
];

function packageDir(name) {
  const dir = join(NODE_MODULES, ...name.split("/"));
  if (!existsSync(join(dir, "package.json"))) {
    throw new Error(`package ${name} is not installed: run "npm ci" (or "npm install") first`);
  }
  return dir;
}

function packageVersion(name) {
  return require(join(packageDir(name), "package.json")).version;
}

/** Files a stylesheet or script points at, relative to it (data: URIs and absolute URLs aside). */
function references(path) {
  const text = readFileSync(path, "utf8");
  const found = new Set();
  if (path.endsWith(".css")) {
    for (const match of text.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
      const target = match[2].trim();
      if (/^(data:|https?:|\/\/|#)/.test(target)) continue;
      found.add(target.split(/[?#]/)[0]);
    }
  }
  const map = text.match(/[#@]\s*sourceMappingURL=([^\s*]+)/);
  if (map && !map[1].startsWith("data:")) found.add(map[1]);
  return [...found];
}

function build() {
  rmSync(DIST, { recursive: true, force: true });
  const versions = {};
  for (const [pkg, file, dest] of FILES) {
    const source = join(packageDir(pkg), file);
    if (!existsSync(source)) {
      throw new Error(`${pkg} has no ${file} (version ${packageVersion(pkg)}): update frontend/build.mjs`);
    }
    const target = join(DIST, dest);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    versions[pkg] = packageVersion(pkg);
  }
  const missing = [];
  for (const [, , dest] of FILES) {
    if (!/\.(css|js)$/.test(dest)) continue;
    for (const ref of references(join(DIST, dest))) {
      const target = posix.join(posix.dirname(dest), ref);
      if (!existsSync(join(DIST, target))) missing.push(`${dest} -> ${ref}`);
    }
  }
  if (missing.length) {
    throw new Error(`copied files refer to files that were not copied:\n  ${missing.join("\n  ")}`);
  }
  writeFileSync(join(DIST, "VERSIONS.json"), `${JSON.stringify(versions, null, 2)}\n`);
  let bytes = 0;
  for (const [, , dest] of FILES) bytes += statSync(join(DIST, dest)).size;
  console.log(
    `kefu: copied ${FILES.length} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) to ` +
      `${relative(ROOT, DIST)}/: ${Object.entries(versions).map(([n, v]) => `${n}@${v}`).join(", ")}`,
  );
}

try {
  build();
} catch (error) {
  console.error(`kefu: front-end build failed: ${error.message}`);
  process.exit(1);
}
