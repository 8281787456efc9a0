import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { bundleWorkflowCode, Worker, type ReplayResult, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowsPath } from '../../temporal/worker';
import { recordedHistories, type RecordedHistory } from './replayHistories';
import { testDataConverter } from '../support/codecKeys';

const editLoader = createRequire(import.meta.url).resolve('./replayEditLoader.cjs');
const workflowFile = (name: string) => fileURLToPath(new URL(`../../workflows/${name}`, import.meta.url));

/** Today's workflow code with one deliberate edit to one file (replayEditLoader.cjs), bundled as the worker would. */
function bundleWithEdit(file: string, edit: { swap: [string, string] } | { replace: [string, string][] }) {
  return bundleWorkflowCode({
    workflowsPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    webpackConfigHook: (config) => {
      config.module!.rules!.push({
        test: workflowFile(file),
        enforce: 'pre',
        use: { loader: editLoader, options: edit },
      });
      return config;
    },
  });
}

async function replayAll(workflowBundle: WorkflowBundle, histories: RecordedHistory[]) {
  const results = new Map<string, ReplayResult>();
  const replay = Worker.runReplayHistories(
    { workflowBundle, dataConverter: testDataConverter() },
    histories.map((h) => ({ workflowId: h.file, history: h.history })),
  );
  for await (const result of replay) results.set(result.workflowId, result);
  expect(results.size, 'every history replayed').to.equal(histories.length);
  return results;
}

/**
 * The replay test guards running executions only if it fails on an incompatible change: here it is shown to, on
 * two such changes made to today's code on purpose, so a broken guard (no histories, a bundle that is not the
 * worker's, errors swallowed) fails CI too.
 */
describe('the replay test catches an incompatible workflow change', function () {
  this.timeout(300_000);
  const histories = recordedHistories();
  const gate = 'step-attention-rounds';
  const expectFailures = (results: Map<string, ReplayResult>, broken: (h: RecordedHistory) => boolean) => {
    for (const h of histories) {
      const { error } = results.get(h.file)!;
      if (broken(h)) expect(error, `${h.file} must fail`).to.be.instanceOf(DeterminismViolationError);
      else expect(error, `${h.file} must replay`).to.equal(undefined);
    }
  };
  // Before the gate, its rejected email was where the old code simply failed the step; the rounds code records the
  // permanent failure in a search attribute, a command the old code never gave.
  const tookTheOldBranch = (h: RecordedHistory) =>
    h.file === '92d0855-cancellation-email-rejected.history.bin';

  it('the clinician email and the client receipt scheduled in the other order: every request that sent both fails with a DeterminismViolationError', async () => {
    const results = await replayAll(
      await bundleWithEdit('appointmentRequest.ts', {
        swap: ['notifyClinicianOfRequest', 'sendRequestReceived'],
      }),
      histories,
    );
    const sentBoth = (h: RecordedHistory) =>
      h.activityTypes.includes('notifyClinicianOfRequest') && h.activityTypes.includes('sendRequestReceived');
    const broken = histories.filter(sentBoth).map((h) => h.file);
    expect(broken.length, 'histories that sent both emails').to.be.at.least(10);
    // The edited bundle itself is sound: every history the edit does not touch still replays.
    expectFailures(results, sentBoth);
  });

  it('the patched() gate of step attention deleted outright: executions from before it break, and so do those that recorded its marker', async () => {
    const results = await replayAll(
      await bundleWithEdit('stepAttention.ts', { replace: [[`patched('${gate}')`, 'true']] }),
      histories,
    );
    expectFailures(results, (h) => tookTheOldBranch(h) || h.patches.includes(gate));
    expect(histories.filter((h) => h.patches.includes(gate)).length).to.be.at.least(20);
  });

  it('the request-local-steps gate deleted outright: every request execution breaks, from before it or after', async () => {
    const results = await replayAll(
      await bundleWithEdit('appointmentRequest.ts', {
        replace: [['patched(LOCAL_STEPS_PATCH)', 'true']],
      }),
      histories,
    );
    const requests = (h: RecordedHistory) => h.workflowType === 'appointmentRequestWorkflow';
    expectFailures(results, requests);
    expect(
      histories.filter((h) => requests(h) && !h.patches.includes('request-local-steps')).length,
    ).to.be.at.least(15);
  });

  it('the gate retired with deprecatePatch(): executions that recorded its marker replay, those from before it still break', async () => {
    const results = await replayAll(
      await bundleWithEdit('stepAttention.ts', {
        replace: [
          ['  patched,\n', '  deprecatePatch,\n'],
          [`patched('${gate}')`, `(deprecatePatch('${gate}'), true)`],
        ],
      }),
      histories,
    );
    // Hence the rule in the README: deprecatePatch() only once no execution started before the patch is running.
    expectFailures(results, tookTheOldBranch);
  });
});
