/**
 * Runs the synthesized ASL (both variants) with aws-local-stepfunctions — the engine of the local runner — binding
 * task handlers by state name, to show the definition executes as the contract says: results land at $.dataset /
 * $.result, the trainer gets its three inputs, transient errors are retried and failures go MarkFailed → Fail.
 */
import '../../shared/polyfills';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { TRAINER_ENV, WORKFLOW_STATE } from '../../shared/names';
import { synthesizeWorkflowDefinition } from '../../infra/workflow-definition';

type Json = Record<string, any>;
const input = { runId: 'run-20260101-000000-abcdef', params: { epochs: 3, split: 'random', seed: 42 } };
const dataset = { prefix: `datasets/${input.runId}/`, trainCount: 8, testCount: 2, skipped: {} };
const result = { candidate: `${input.runId}.mlp`, accuracy: 0.5, promoted: true };

/** The trainer's three inputs, whichever way the variant passes them (container env overrides or Lambda payload). */
function trainerInputs(trainInput: Json): Record<string, string> {
  const env = trainInput.Overrides?.ContainerOverrides?.[0]?.Environment as { Name: string; Value: string }[] | undefined;
  return env ? Object.fromEntries(env.map((e) => [e.Name, e.Value])) : (trainInput as Record<string, string>);
}

for (const localstack of [false, true]) {
  const { definition } = synthesizeWorkflowDefinition({ localstack });
  const machine = () => new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const noWait = { [WORKFLOW_STATE.ASSEMBLE]: 0, [WORKFLOW_STATE.TRAIN]: 0, [WORKFLOW_STATE.REGISTER]: 0, [WORKFLOW_STATE.MARK_FAILED]: 0 };

  describe(`the synthesized workflow (${localstack ? 'LocalStack' : 'AWS'} variant) under aws-local-stepfunctions`, () => {
    it('runs Assemble → Train → Register and keeps each result at its ResultPath', async () => {
      const seen: Json = {};
      const run = machine().run(input, {
        overrides: {
          retryIntervalOverrides: noWait,
          taskResourceLocalHandlers: {
            [WORKFLOW_STATE.ASSEMBLE]: async (i) => ((seen.assemble = i), dataset),
            [WORKFLOW_STATE.TRAIN]: async (i) => ((seen.train = i), { ok: true }),
            [WORKFLOW_STATE.REGISTER]: async (i) => ((seen.register = i), result),
            [WORKFLOW_STATE.MARK_FAILED]: async () => assert.fail('MarkFailed must not run'),
          },
        },
      });
      const output = (await run.result) as Json;
      assert.deepEqual(seen.assemble, input);
      assert.deepEqual(trainerInputs(seen.train), {
        [TRAINER_ENV.RUN_ID]: input.runId,
        [TRAINER_ENV.DATASET_PREFIX]: dataset.prefix,
        [TRAINER_ENV.PARAMS]: JSON.stringify(input.params),
      });
      assert.deepEqual(seen.register, { ...input, dataset, train: { ok: true } });
      assert.deepEqual(output.result, result);
    });

    it('retries a transient Lambda error on Assemble, then goes on', async () => {
      let calls = 0;
      const run = machine().run(input, {
        overrides: {
          retryIntervalOverrides: noWait,
          taskResourceLocalHandlers: {
            [WORKFLOW_STATE.ASSEMBLE]: async () => {
              calls += 1;
              if (calls === 1) throw Object.assign(new Error('throttled'), { name: 'Lambda.TooManyRequestsException' });
              return dataset;
            },
            [WORKFLOW_STATE.TRAIN]: async () => ({}),
            [WORKFLOW_STATE.REGISTER]: async () => result,
            [WORKFLOW_STATE.MARK_FAILED]: async () => assert.fail('MarkFailed must not run'),
          },
        },
      });
      assert.deepEqual(((await run.result) as Json).result, result);
      assert.equal(calls, 2);
    });

    it('sends a training failure to MarkFailed with $.error, then fails the execution with that error', async () => {
      let failedWith: Json | undefined;
      const run = machine().run(input, {
        overrides: {
          retryIntervalOverrides: noWait,
          taskResourceLocalHandlers: {
            [WORKFLOW_STATE.ASSEMBLE]: async () => dataset,
            [WORKFLOW_STATE.TRAIN]: async () => {
              throw Object.assign(new Error('not enough rows'), { name: 'DATASET_TOO_SMALL' });
            },
            [WORKFLOW_STATE.REGISTER]: async () => assert.fail('Register must not run'),
            [WORKFLOW_STATE.MARK_FAILED]: async (i) => ((failedWith = i as Json), { marked: true }),
          },
        },
      });
      await assert.rejects(run.result, (error: unknown) => {
        // The Fail state takes its error and cause from $.error (ErrorPath/CausePath).
        const failure = (error as { cause?: { name?: string; message?: string } }).cause;
        return error instanceof ExecutionError && failure?.name === 'DATASET_TOO_SMALL' && /not enough rows/.test(String(failure.message));
      });
      assert.equal(failedWith?.runId, input.runId);
      assert.equal(failedWith?.error?.Error, 'DATASET_TOO_SMALL');
      assert.match(String(failedWith?.error?.Cause), /not enough rows/);
    });
  });
}
