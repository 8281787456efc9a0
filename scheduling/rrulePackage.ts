import * as rrulePackage from 'rrule';

/**
 * The `rrule` package's exports, whichever way the runtime loaded it.
 *
 * rrule ships a UMD bundle as `main` and ES modules as `module`: Node (and tsx)
 * load the UMD file, whose names only appear on `default`, while bundlers such
 * as the Temporal workflow bundler load the ES modules, which have no default.
 */
export const rrule: typeof rrulePackage =
  'RRule' in rrulePackage && rrulePackage.RRule !== undefined
    ? rrulePackage
    : (rrulePackage as unknown as { default: typeof rrulePackage }).default;
