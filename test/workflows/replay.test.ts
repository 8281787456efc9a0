import { expect } from 'chai';
import { Worker, type ReplayResult } from '@temporalio/worker';
import * as workflows from '../../workflows';
import { sharedWorkflowBundle } from '../support/temporal';
import { recordedPaths } from './histories/paths';
import { recordedHistories } from './replayHistories';
import { testDataConverter } from '../support/codecKeys';

/**
 * Workflows live for up to 90 days, so every history recorded with earlier or today's workflow code (named by that
 * code, see histories/record.ts) must replay on the code in this tree. A failure here means executions running in
 * production would fail their next workflow task after a deploy: change the workflow behind patched(), never the
 * history (README "Changing a workflow safely").
 */
describe('recorded workflow histories replay on the current workflow code', function () {
  this.timeout(180_000);
  const histories = recordedHistories();
  const results = new Map<string, ReplayResult>();

  before(async () => {
    const replay = Worker.runReplayHistories(
      { workflowBundle: await sharedWorkflowBundle(), dataConverter: testDataConverter() },
      histories.map((h) => ({ workflowId: h.file, history: h.history })),
    );
    for await (const result of replay) results.set(result.workflowId, result);
  });

  it('has a history of every path of every workflow type the worker runs', () => {
    const types = Object.entries(workflows)
      .filter(([name, value]) => typeof value === 'function' && name.endsWith('Workflow'))
      .map(([name]) => name);
    expect(Object.keys(recordedPaths)).to.have.members(types);
    for (const [type, paths] of Object.entries(recordedPaths))
      for (const p of paths)
        expect(
          histories.filter((h) => h.path === p && h.workflowType === type),
          `${type} ${p}`,
        ).to.not.have.length(0);
  });

  it('keeps the histories from before step attention: they are what proves the patched() gate', () => {
    expect(histories.filter((h) => h.code === '92d0855').map((h) => h.path)).to.have.members([
      'request-approved',
      'request-pending',
      'cancellation-canceled',
      'cancellation-email-rejected',
    ]);
  });

  for (const { file } of histories) {
    it(file, () => {
      const result = results.get(file);
      expect(result, 'replayed').to.not.equal(undefined);
      if (result!.error) throw result!.error;
    });
  }
});
