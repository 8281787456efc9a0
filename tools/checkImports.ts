/**
 * Fails when a module imports from a folder it may not (tools/layering.ts holds the table). Parses every import,
 * re-export, dynamic import() and require() of the tree with the TypeScript parser, so a string that merely looks
 * like an import is not one, and `import type` is told apart from a runtime import.
 *
 * `tsx tools/checkImports.ts` prints each forbidden import and exits 1; `npm test` runs it first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ALLOWED, type Edge, type Layer } from './layering';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['node_modules', '.temporal', '.data', '.git', 'dist', 'results', 'artifacts']);

/** One import statement, as written and as resolved. */
export interface ImportRef {
  /** Importing file, repo-relative with forward slashes. */
  from: string;
  line: number;
  specifier: string;
  /** Imported file, repo-relative, or undefined for a package. */
  to?: string;
  typeOnly: boolean;
}

/** An import that crosses folders in a direction the table does not allow. */
export interface Violation extends ImportRef {
  fromLayer: Layer;
  toLayer: string;
}

/** Every .ts/.tsx file under the layered folders, repo-relative. */
export function sourceFiles(root: string = REPO_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
    }
  };
  for (const layer of Object.keys(ALLOWED)) {
    const dir = path.join(root, layer);
    if (fs.existsSync(dir)) walk(dir);
  }
  return out.map((f) => toRepoPath(root, f)).sort();
}

/** The imports of one file, parsed (not pattern-matched). */
export function importsOf(file: string, root: string = REPO_ROOT): ImportRef[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    refs.push({ from: file, line, specifier, to: resolve(root, file, specifier), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, isTypeOnlyImport(node));
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const onlyTypes =
        node.isTypeOnly ||
        (!!node.exportClause &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier.text, onlyTypes);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node, node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) add(node, lit.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  // A bare `import './x'` runs the module: that is a runtime dependency.
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The repo-relative file a relative specifier names (as the bundler resolves it), or undefined for a package. */
function resolve(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(root, path.dirname(from), specifier);
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    base.replace(/\.js$/, '.ts'),
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? base;
  return toRepoPath(root, found);
}

function toRepoPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function layerOf(file: string): Layer | undefined {
  const top = file.split('/')[0];
  return top in ALLOWED ? (top as Layer) : undefined;
}

/** Whether `ref`, from `fromLayer` into `toLayer`, is an edge the table allows. */
export function isAllowed(ref: ImportRef, fromLayer: Layer, toLayer: Layer): boolean {
  if (fromLayer === toLayer) return true;
  return ALLOWED[fromLayer].some((rule: Layer | Edge) => {
    const edge: Edge = typeof rule === 'string' ? { to: rule } : rule;
    if (edge.to !== toLayer) return false;
    if (edge.from && !edge.from.includes(ref.from)) return false;
    if (edge.typesOnly && !ref.typeOnly) return false;
    return !edge.files || (ref.to !== undefined && edge.files.includes(ref.to));
  });
}

/** Every import of the tree that the table forbids. */
export function findViolations(root: string = REPO_ROOT): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(root)) {
    const fromLayer = layerOf(file);
    if (!fromLayer) continue;
    for (const ref of importsOf(file, root)) {
      const toLayer = ref.to === undefined ? undefined : layerOf(ref.to);
      // Server code never reaches into the tests or benchmarks.
      if (ref.to && /^(test|bench)\//.test(ref.to))
        violations.push({ ...ref, fromLayer, toLayer: ref.to.split('/')[0] });
      else if (toLayer && !isAllowed(ref, fromLayer, toLayer))
        violations.push({ ...ref, fromLayer, toLayer });
    }
  }
  return violations;
}

function isEntryPoint(): boolean {
  return !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) {
  const violations = findViolations();
  for (const v of violations)
    process.stderr.write(
      `${v.from}:${v.line}: ${v.fromLayer} may not import ${v.typeOnly ? 'types from ' : ''}${v.to ?? v.specifier} (${v.toLayer})\n`,
    );
  if (violations.length) {
    process.stderr.write(`${violations.length} import(s) against the layering in tools/layering.ts\n`);
    process.exitCode = 1;
  }
}
