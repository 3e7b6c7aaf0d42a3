/**
 * The import rules, checked over the source tree (type-only imports are told apart by the
 * TypeScript parser, so a rule can allow a shared type without allowing the code).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = normalize(join(__dirname, ".."));
const SOURCE_DIRS = ["contract", "lambda", "infra", "build", "dev", "scripts", "bench", "examples", "test"];

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Project-relative targets of every relative import, export-from, import() and require() in a file. */
function importsOf(file: string, text: string): Edge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith(".")) return;
    edges.push({ from: file, to: normalize(join(dirname(file), specifier)), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function sourceFiles(dir: string): string[] {
  return (
    readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.(ts|mts|cts|mjs|cjs)$/.test(entry.name))
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
      // An example's own `npm ci` puts a node_modules inside it: installed code, not ours.
      .filter((file) => !file.split("/").includes("node_modules"))
  );
}

interface Rule {
  why: string;
  from: string;
  forbidden: string[];
  /** Type-only imports of these are allowed. */
  typesFrom?: string[];
}

const RULES: Rule[] = [
  {
    why: "the functions ship alone: nothing from the program, the local tools or the tests",
    from: "lambda/",
    forbidden: ["infra/", "dev/", "scripts/", "build/", "bench/", "examples/", "test/"],
  },
  {
    why: "handlers are pure: they never import the adapter or the runtime that call them",
    from: "lambda/handlers/",
    forbidden: ["lambda/http/", "lambda/runtime/"],
    typesFrom: ["lambda/runtime/"],
  },
  {
    why: "the adapter dispatches the Callback it is given (handler types only) and never imports the runtime that calls it",
    from: "lambda/http/",
    forbidden: ["lambda/handlers/", "lambda/runtime/"],
    typesFrom: ["lambda/handlers/"],
  },
  {
    why: "the AWS client is a leaf the runtime builds on; it knows no callback, adapter or runtime",
    from: "lambda/aws/",
    forbidden: ["lambda/runtime/", "lambda/http/", "lambda/handlers/"],
  },
  {
    why: "the contract is the bottom layer both sides read",
    from: "contract/",
    forbidden: ["lambda/", "infra/", "dev/", "scripts/", "build/", "bench/", "examples/", "test/"],
  },
  {
    why: "the program reads the contract, never the functions' code (it would be serialized into providers)",
    from: "infra/",
    forbidden: ["lambda/", "dev/", "scripts/", "bench/", "examples/", "test/"],
  },
  {
    why: "the build recipe is used by the program, so it depends on nothing but the contract",
    from: "build/",
    forbidden: ["lambda/", "infra/", "dev/", "scripts/", "bench/", "examples/", "test/"],
  },
  {
    why: "only tests import test helpers",
    from: "",
    forbidden: ["test/"],
  },
];

function violations(edges: readonly Edge[]): string[] {
  const found: string[] = [];
  for (const edge of edges) {
    for (const rule of RULES) {
      if (!edge.from.startsWith(rule.from)) continue;
      if (rule.from === "" && edge.from.startsWith("test/")) continue;
      const hit = rule.forbidden.find((prefix) => edge.to.startsWith(prefix));
      if (!hit) continue;
      if (edge.typeOnly && rule.typesFrom?.some((prefix) => edge.to.startsWith(prefix))) continue;
      found.push(`${edge.from} imports ${edge.to}${edge.typeOnly ? " (types)" : ""}: ${rule.why}`);
    }
  }
  return found;
}

describe("import rules", () => {
  const edges = SOURCE_DIRS.flatMap(sourceFiles).flatMap((file) =>
    importsOf(file, readFileSync(join(ROOT, file), "utf8")),
  );

  it("finds the imports it checks (the scan is not empty)", () => {
    expect(
      edges.some((e) => e.from === "lambda/http/adapter.ts" && e.to === "lambda/handlers/types.js" && e.typeOnly),
    ).toBe(true);
    expect(edges.some((e) => e.from === "build/lambda-bundles.cjs" && e.to === "contract/callbacks.ts")).toBe(true);
    expect(edges.length).toBeGreaterThan(300);
  });

  it("holds over the whole tree", () => {
    expect(violations(edges)).toEqual([]);
  });

  it("would catch each kind of breach", () => {
    const breach = (from: string, text: string) => violations(importsOf(from, text));
    expect(breach("lambda/handlers/crm.ts", 'import { parseForm } from "../http/form.js";')).toHaveLength(1);
    expect(breach("lambda/handlers/crm.ts", 'import type { Logger } from "../runtime/log.js";')).toEqual([]);
    expect(breach("lambda/handlers/crm.ts", 'import { jsonLogger } from "../runtime/log.js";')).toHaveLength(1);
    expect(breach("lambda/http/adapter.ts", 'import { crm } from "../handlers/crm.js";')).toHaveLength(1);
    expect(breach("lambda/twilio/rest.ts", 'export { x } from "../../infra/config.js";')).toHaveLength(1);
    expect(breach("infra/twilio/api.ts", 'const m = require("../../lambda/twilio/api-url.js");')).toHaveLength(1);
    expect(breach("infra/lambda-code.ts", 'import { b } from "../scripts/lambda-bundles.cjs";')).toHaveLength(1);
    expect(breach("contract/callbacks.ts", 'const x = await import("../lambda/handlers/index.js");')).toHaveLength(1);
    expect(breach("dev/main.ts", 'import { sign } from "../test/support/sign.js";')).toHaveLength(1);
  });
});
