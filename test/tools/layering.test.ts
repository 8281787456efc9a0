import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findViolations } from '../../tools/checkImports';

/** Writes files (repo-relative path → text) into a fresh temp tree. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'layering-'));
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  }
  return root;
}

const describeViolations = (root?: string) =>
  findViolations(root).map((v) => `${v.from}:${v.line} → ${v.to ?? v.specifier}`);

describe('tools/checkImports: no folder imports from a folder above it', () => {
  const roots: string[] = [];
  afterEach(async () => {
    for (const root of roots.splice(0)) await fs.rm(root, { recursive: true, force: true });
  });

  it('the tree has no import against tools/layering.ts', () => {
    expect(describeViolations()).to.deep.equal([]);
  });

  it('reports an upward import, with its file and line', async () => {
    const root = await tree({
      'api/errors.ts': 'export const x = 1;\n',
      'temporal/errors.ts':
        "import fs from 'node:fs';\nimport { x } from '../api/errors';\nexport const y = x;\n",
      'models/seed.ts': "import { hashPassword } from '../app/passwords';\nexport const z = hashPassword;\n",
      'app/passwords.ts': 'export const hashPassword = 1;\n',
      'api/ok.ts': "import { y } from '../temporal/errors';\nexport const ok = y;\n",
    });
    roots.push(root);
    expect(describeViolations(root)).to.deep.equal([
      'models/seed.ts:1 → app/passwords.ts',
      'temporal/errors.ts:2 → api/errors.ts',
    ]);
  });

  it('tells a type-only import from a runtime one, and a dynamic import() or re-export from neither', async () => {
    const root = await tree({
      'activities/index.ts': 'export type Deps = {}; export const createActivities = () => ({});\n',
      'workflows/typed.ts': "import type { Deps } from '../activities';\nexport type D = Deps;\n",
      'workflows/named.ts':
        "import { type Deps } from '../activities/index';\nexport type { Deps as Other } from '../activities';\n",
      'workflows/runtime.ts':
        "import { createActivities } from '../activities';\nexport const a = createActivities;\n",
      'workflows/dynamic.ts': "export const load = () => import('../activities/index.ts');\n",
      'workflows/reexport.ts': "export { createActivities } from '../activities';\n",
      // A string that only looks like an import is not one.
      'workflows/text.ts': 'export const s = "import x from \'../api/app\'";\n',
    });
    roots.push(root);
    expect(describeViolations(root)).to.deep.equal([
      'workflows/dynamic.ts:1 → activities/index.ts',
      'workflows/reexport.ts:1 → activities/index.ts',
      'workflows/runtime.ts:1 → activities/index.ts',
    ]);
  });

  it('limits an edge to the files the table names on either side', async () => {
    const root = await tree({
      'activities/index.ts': 'export const createActivities = () => ({});\n',
      'temporal/worker.ts':
        "import { createActivities } from '../activities';\nexport const w = createActivities;\n",
      'temporal/requests.ts':
        "import { createActivities } from '../activities';\nexport const r = createActivities;\n",
      'temporal/searchAttributes.ts': 'export const key = 1;\n',
      'temporal/connection.ts': 'export const connect = 1;\n',
      'workflows/a.ts':
        "import { key } from '../temporal/searchAttributes';\nimport { connect } from '../temporal/connection';\nexport const k = [key, connect];\n",
    });
    roots.push(root);
    expect(describeViolations(root)).to.deep.equal([
      'temporal/requests.ts:1 → activities/index.ts',
      'workflows/a.ts:2 → temporal/connection.ts',
    ]);
  });
});
