/**
 * The allowed direction of imports between the top-level folders: a folder imports only from the folders listed
 * for it, so the tree reads api → booking → models/scheduling and no folder reaches one above it.
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
  | 'tools'
  | 'web';

/** An edge that only certain files may use, or only for types (erased at build: no runtime coupling). */
export interface Edge {
  to: Layer;
  /** Only these files (repo-relative) of the target folder may be imported. */
  files?: string[];
  /** Only `import type` / `export type` across this edge. */
  typesOnly?: boolean;
}

/**
 * Which folder may import which. Folders not listed here (test/, bench/) may import anything; an import into a
 * folder that is not listed (node_modules, a sibling file) is not a layer crossing.
 */
export const ALLOWED: Record<Layer, (Layer | Edge)[]> = {
  app: [
    'api',
    'activities',
    'workflows',
    'temporal',
    'booking',
    'models',
    'scheduling',
    'emails',
    // npm start installs the Temporal binaries it needs, as it always did, through the resolver's one interface.
    { to: 'tools', files: ['tools/temporal/resolve.ts'] },
  ],
  api: ['booking', 'temporal', 'models', 'scheduling', 'emails'],
  activities: ['booking', 'models', 'emails', 'scheduling'],
  // Workflow code is bundled into Temporal's sandbox: pure booking rules, and activities as types only.
  workflows: [
    'booking',
    { to: 'temporal', files: ['temporal/searchAttributes.ts'] },
    { to: 'activities', typesOnly: true },
  ],
  temporal: [
    'booking',
    { to: 'workflows', typesOnly: true },
    { to: 'tools', files: ['tools/temporal/resolve.ts'] },
  ],
  booking: ['models', 'scheduling', 'emails'],
  models: [],
  scheduling: [],
  emails: [],
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
    'web',
  ],
  // The browser app talks to the server over HTTP only; its API types are generated into web/src/generated/.
  web: [],
};
