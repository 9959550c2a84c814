/**
 * Starting a training run: create the run item (PENDING), then start the workflow execution named by the run id.
 * If the start fails, the run is marked FAILED (so no run stays PENDING forever) and WORKFLOW_START_FAILED is thrown.
 */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ErrorCode, SerError } from '../errors';
import { newRunId, type RunsRepository } from '../store/runs';
import type { RunItem, TrainingParams, WorkflowInput } from '../types';

/** Something that starts the training workflow for an input (Step Functions, or the local runner). */
export interface WorkflowStarter {
  /** Start an execution named input.runId; resolves to its ARN. */
  start(input: WorkflowInput): Promise<string>;
}

/** Starter backed by Step Functions StartExecution (name = runId, input = WorkflowInput JSON). */
export function sfnStarter(sfn: SFNClient, stateMachineArn: string): WorkflowStarter {
  return {
    async start(input) {
      const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: input.runId, input: JSON.stringify(input) }));
      return out.executionArn!;
    },
  };
}

/** Create the run and start its workflow; returns the run as stored (PENDING, with its execution ARN). */
export async function startTrainingRun(input: { runs: RunsRepository; starter: WorkflowStarter; params: TrainingParams; now?: Date; runId?: string }): Promise<RunItem> {
  const now = input.now ?? new Date();
  const runId = input.runId ?? newRunId(now);
  const run = await input.runs.createRun(runId, input.params, now);
  let executionArn: string;
  try {
    executionArn = await input.starter.start({ runId, params: input.params });
  } catch (cause) {
    const message = `The training workflow could not be started: ${(cause as Error)?.message ?? String(cause)}`;
    await input.runs.markFailed(runId, { code: ErrorCode.WORKFLOW_START_FAILED, message });
    throw new SerError(ErrorCode.WORKFLOW_START_FAILED, message, {
      cause,
      suggestion: 'Check that the state machine exists and this function may start it (SER_STATE_MACHINE_ARN); then start a new run.',
    });
  }
  await input.runs.recordExecution(runId, executionArn);
  return { ...run, executionArn };
}
