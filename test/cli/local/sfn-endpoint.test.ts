import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeExecutionCommand, ExecutionAlreadyExists, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startSfnEndpoint } from '../../../cli/local/sfn-endpoint';
import { LocalWorkflowRunner } from '../../../cli/local/workflow-runner';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:test';
// The endpoint is what is under test here; the e2e test runs the synthesized training workflow behind it.
const definition = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', Parameters: { 'got.$': '$.runId' }, End: true } } };

test('serves StartExecution, DescribeExecution and ListExecutions to the real SFN client', async () => {
  const runner = new LocalWorkflowRunner({ definition: definition as never, stateMachineArn: ARN, env: {} });
  const endpoint = await startSfnEndpoint(runner, ARN);
  const sfn = new SFNClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'run-1', input: '{"runId":"run-1"}' }));
    assert.equal(started.executionArn, 'arn:aws:states:us-east-1:000000000000:execution:test:run-1');
    assert.ok(started.startDate instanceof Date);
    await runner.wait(started.executionArn!);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(described.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(described.output!), { got: 'run-1' });
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'run-1', input: '{"other":1}' })), ExecutionAlreadyExists);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ARN }));
    assert.deepEqual(listed.executions!.map((e) => e.name), ['run-1']);
  } finally {
    sfn.destroy();
    await endpoint.close();
  }
});
