import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { sharedWorkflowBundle } from '../support/temporal';

const HISTORIES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

/**
 * Workflows live for days: every history recorded with earlier workflow code (named by its commit, see
 * histories/record.ts) must replay on today's code without a nondeterminism error.
 */
describe('recorded workflow histories replay on the current workflow code', function () {
  this.timeout(120_000);
  const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.history.bin'));

  it('has histories from before step attention (request approved and pending, cancelation with and without a rejected email)', () => {
    expect(files.filter((f) => f.startsWith('92d0855-'))).to.have.length(4);
  });

  for (const file of files) {
    it(file.replace('.history.bin', ''), async () => {
      const history = proto.temporal.api.history.v1.History.decode(
        fs.readFileSync(path.join(HISTORIES, file)),
      );
      await Worker.runReplayHistory({ workflowBundle: await sharedWorkflowBundle() }, history);
    });
  }
});
