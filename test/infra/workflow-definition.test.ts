import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRAINER_ENV, WORKFLOW_STATE } from '../../shared/names';
import { FAIL_STATE } from '../../infra/constructs/training';
import { extractWorkflowDefinition, synthesizeWorkflowDefinition, type AslDefinition, type AslState } from '../../infra/workflow-definition';
import { synth } from './synth';

const aws = synthesizeWorkflowDefinition();
const TASKS = [WORKFLOW_STATE.ASSEMBLE, WORKFLOW_STATE.TRAIN, WORKFLOW_STATE.REGISTER, WORKFLOW_STATE.MARK_FAILED];

function tasks(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).filter(([, st]) => st.Type === 'Task');
}

describe('synthesizeWorkflowDefinition', () => {
  it('returns the contract states: Assemble → Train → Register, failures → MarkFailed → Fail', () => {
    const { definition, stateNames } = aws;
    assert.deepEqual(stateNames, [...TASKS, FAIL_STATE]);
    assert.equal(definition.StartAt, WORKFLOW_STATE.ASSEMBLE);
    assert.equal(definition.States.Assemble.Next, WORKFLOW_STATE.TRAIN);
    assert.equal(definition.States.Train.Next, WORKFLOW_STATE.REGISTER);
    assert.equal(definition.States.Register.End, true);
    assert.equal(definition.States.MarkFailed.Next, FAIL_STATE);
    assert.deepEqual(definition.States.Fail, { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('stores results where the contract says: $.dataset, $.train, $.result; MarkFailed keeps the state', () => {
    const s = aws.definition.States;
    assert.equal(s.Assemble.ResultPath, '$.dataset');
    assert.equal(s.Train.ResultPath, '$.train');
    assert.equal(s.Register.ResultPath, '$.result');
    assert.equal(s.MarkFailed.ResultPath, null);
  });

  it('gives every task state a timeout, retries with backoff and a catch', () => {
    for (const [name, state] of tasks(aws.definition)) {
      assert.ok(typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > 0, `${name} TimeoutSeconds`);
      const retry = state.Retry as { ErrorEquals: string[]; BackoffRate: number; MaxAttempts: number; IntervalSeconds: number }[];
      assert.ok(retry?.length, `${name} Retry`);
      for (const r of retry) {
        assert.ok(r.BackoffRate > 1 && r.MaxAttempts >= 2 && r.IntervalSeconds >= 1, `${name} backoff`);
        assert.ok(!r.ErrorEquals.includes('States.ALL') && !r.ErrorEquals.includes('States.TaskFailed'), `${name} retries only transient errors`);
      }
      const catches = state.Catch as { ErrorEquals: string[]; Next: string; ResultPath: string }[];
      assert.deepEqual(catches?.map((c) => c.ErrorEquals), [['States.ALL']], `${name} Catch`);
      const expectedNext = name === WORKFLOW_STATE.MARK_FAILED ? FAIL_STATE : WORKFLOW_STATE.MARK_FAILED;
      assert.equal(catches[0].Next, expectedNext, `${name} catch target`);
      if (name !== WORKFLOW_STATE.MARK_FAILED) assert.equal(catches[0].ResultPath, '$.error');
    }
    assert.deepEqual(tasks(aws.definition).map(([n]) => n), TASKS);
    assert.ok(aws.definition.TimeoutSeconds! >= (aws.definition.States.Train.TimeoutSeconds as number), 'workflow timeout covers training');
  });

  it('retries Lambda and ECS service errors, not task failures', () => {
    const errors = (name: string) => (aws.definition.States[name].Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
    for (const e of ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException']) assert.ok(errors('Assemble').includes(e), e);
    assert.ok(errors('Train').includes('ECS.AmazonECSException'));
  });

  it('runs Train as an ECS Fargate RunTask .sync job with the run inputs as container environment', () => {
    const train = aws.definition.States.Train as AslState & { Parameters: any };
    assert.equal(train.Resource, 'arn:aws:states:::ecs:runTask.sync');
    assert.equal(train.Parameters.LaunchType, 'FARGATE');
    assert.equal(train.Parameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, 'ENABLED');
    const env = Object.fromEntries(
      (train.Parameters.Overrides.ContainerOverrides[0].Environment as { Name: string; 'Value.$': string }[]).map((e) => [e.Name, e['Value.$']]),
    );
    assert.deepEqual(env, {
      [TRAINER_ENV.RUN_ID]: '$.runId',
      [TRAINER_ENV.DATASET_PREFIX]: '$.dataset.prefix',
      [TRAINER_ENV.PARAMS]: 'States.JsonToString($.params)',
    });
  });

  it('replaces CloudFormation tokens by readable placeholder ARNs', () => {
    const text = JSON.stringify(aws.definition);
    assert.ok(!text.includes('Fn::') && !text.includes('"Ref"') && !text.includes('${Token'), 'no tokens left');
    assert.match(aws.definition.States.Assemble.Resource as string, /^arn:aws:lambda:us-east-1:000000000000:function:TrainingAssembleFunction$/);
    assert.match((aws.definition.States.Train as any).Parameters.Cluster, /^arn:aws:ecs:us-east-1:000000000000:cluster\/TrainingCluster$/);
  });
});

describe('extractWorkflowDefinition', () => {
  it('reads the same ASL from a synthesized template as the exported synthesizer', () => {
    const fromTemplate = extractWorkflowDefinition(synth().json);
    assert.deepEqual(fromTemplate, aws);
  });

  it('evaluates Fn::Join/GetAtt/Ref and definition substitutions', () => {
    const template = {
      Resources: {
        FnABCDEF12: { Type: 'AWS::Lambda::Function' },
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: {
              'Fn::Join': ['', ['{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"', { 'Fn::GetAtt': ['FnABCDEF12', 'Arn'] }, '","Comment":"${where}","End":true}}}']],
            },
            DefinitionSubstitutions: { where: { Ref: 'AWS::Region' } },
          },
        },
      },
    };
    const { definition, stateNames } = extractWorkflowDefinition(template);
    assert.deepEqual(stateNames, ['A']);
    assert.equal(definition.States.A.Resource, 'arn:aws:lambda:us-east-1:000000000000:function:Fn');
    assert.equal(definition.States.A.Comment, 'us-east-1');
  });

  it('throws when the template has no state machine', () => {
    assert.throws(() => extractWorkflowDefinition({ Resources: {} }), /Expected one AWS::StepFunctions::StateMachine/);
  });
});
