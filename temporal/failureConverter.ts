import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces moved into an encoded payload, so the payload codec encrypts them: an error
 * can quote what a person wrote. A module of its own because the worker loads it by path (inside the workflow
 * bundle as well as for activities).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
