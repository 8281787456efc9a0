/**
 * The allowed direction of imports between the top-level folders: a folder imports only from the folders listed
 * for it, so the tree reads api → booking → models/scheduling, temporal → booking, and no folder reaches one above
 * it. tools/checkImports.ts applies it; test/tools/layering.test.ts runs it in `npm test`.
 */

/** A folder of the tree whose imports are checked. */
export type Layer =
  | 'app'
  | 'api'
  | 'activities'
  | 'workflows'
  | 'temporal'
  | 'booking'
  | 'models'
  | 'scheduling'
  | 'emails'
  | 'lib'
  | 'tools'
  | 'web';

/** An edge that only certain files may use, or only for types (erased at build: no runtime coupling). */
export interface Edge {
  to: Layer;
  /** Only these files (repo-relative) of the target folder may be imported. */
  files?: string[];
  /** Only these files (repo-relative) of the importing folder may use the edge. */
  from?: string[];
  /** Only `import type` / `export type` across this edge. */
  typesOnly?: boolean;
}

/**
 * Which folder may import which. lib/ (clock, logger, password hashing: no domain, no I/O of ours) sits under every
 * folder of the server. Folders not listed here (test/, bench/) may import anything; imports of packages are not
 * layer crossings.
 */
export const ALLOWED: Record<Layer, (Layer | Edge)[]> = {
  app: ['api', 'activities', 'workflows', 'temporal', 'booking', 'models', 'scheduling', 'emails', 'lib'],
  api: ['booking', 'temporal', 'models', 'scheduling', 'emails', 'lib'],
  activities: ['booking', 'models', 'emails', 'scheduling', 'lib'],
  // Bundled into Temporal's sandbox: booking's pure rules, the search attribute keys, and activities as types only.
  workflows: [
    'booking',
    { to: 'temporal', files: ['temporal/searchAttributes.ts'] },
    { to: 'activities', typesOnly: true },
  ],
  temporal: [
    'booking',
    'lib',
    // A client starts workflows and sends their signals and updates, which are values defined beside the workflow
    // (as in Temporal's samples); workflow modules are pure, so importing them runs nothing.
    'workflows',
    // The worker is where workflows meet their activities; no other Temporal module touches activities.
    { to: 'activities', from: ['temporal/worker.ts'] },
    // The dev server needs the CLI binary, resolved (and installed on first use) by build tooling.
    { to: 'tools', files: ['tools/temporal/resolve.ts'] },
  ],
  booking: ['models', 'scheduling', 'emails', 'lib'],
  models: ['lib'],
  scheduling: [],
  emails: ['lib'],
  lib: [],
  tools: [
    'app',
    'api',
    'activities',
    'workflows',
    'temporal',
    'booking',
    'models',
    'scheduling',
    'emails',
    'lib',
    'web',
  ],
  // The browser app talks to the server over HTTP only; its API types are generated into web/src/generated/.
  web: [],
};
