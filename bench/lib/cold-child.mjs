// One fresh Lambda-like process: times `await import(bundle)` from inside (performance.now() counts
// from process start, so the time before the import is the empty start), then optionally handles
// one event (the cold request) and the same event again (warm), and says which packages loaded when.
// usage: node bench/lib/cold-child.mjs <bundle.mjs | pkg:<package>> [<event.json>] [--modules]
import { readFileSync } from "node:fs";
import { createRequire, registerHooks } from "node:module";
import { pathToFileURL } from "node:url";

const [bundle, eventFile] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const trackModules = process.argv.includes("--modules");

// Every module resolved (ESM and CommonJS), recorded only when asked: the hook itself costs time.
const loaded = [];
if (trackModules) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const result = nextResolve(specifier, context);
      loaded.push(result.url);
      return result;
    },
  });
}
const packagesOf = (urls) => {
  const counts = {};
  for (const url of urls) {
    const at = url.lastIndexOf("/node_modules/");
    const name =
      at === -1
        ? url.startsWith("node:") || !url.includes(":")
          ? "node:builtin"
          : "(bundle)"
        : url
            .slice(at + 14)
            .split("/")
            .slice(0, url.slice(at + 14).startsWith("@") ? 2 : 1)
            .join("/");
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
};
const require = createRequire(import.meta.url);
const cjsCount = () => Object.keys(require.cache).length;

const startMs = performance.now();
// "pkg:<name>" imports a package instead of a bundle (reference rows: what loading an SDK client costs).
const mod = await import(bundle.startsWith("pkg:") ? bundle.slice(4) : pathToFileURL(bundle).href);
const importMs = performance.now() - startMs;
const atImport = { resolved: packagesOf(loaded), cjsModules: cjsCount() };
const result = { startMs, importMs, atImport };

if (eventFile) {
  const event = JSON.parse(readFileSync(eventFile, "utf8"));
  const before = loaded.length;
  const t0 = performance.now();
  const first = await mod.handler(event);
  result.firstMs = performance.now() - t0;
  result.firstStatus = first.statusCode;
  result.firstBody = String(first.body ?? "").slice(0, 200);
  result.afterFirst = { resolved: packagesOf(loaded.slice(before)), cjsModules: cjsCount() };
  const t1 = performance.now();
  const second = await mod.handler(event);
  result.secondMs = performance.now() - t1;
  result.secondStatus = second.statusCode;
}
process.stdout.write(JSON.stringify(result) + "\n");
// Keep-alive sockets of the AWS SDK would otherwise hold the process open.
process.exit(0);
