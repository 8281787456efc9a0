import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { approveUpdate } from '../../../workflows/appointmentRequest';

const { failingStep } = proxyActivities<{ failingStep(): Promise<void> }>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/**
 * Answers `approve` as the request workflow does, except that the step behind it fails with a bug: the update
 * fails with that step's failure (an ActivityFailure), which is no refusal by the workflow.
 */
export async function failingDecisionWorkflow(): Promise<void> {
  setHandler(approveUpdate, async () => {
    await failingStep();
    return { ok: true as const, status: 'approved' as const };
  });
  await condition(() => false);
}
