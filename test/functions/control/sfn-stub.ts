/**
 * A tiny Step Functions endpoint (AWS JSON 1.0) that answers StartExecution, so the real SDK client's requests can be
 * checked; `refuse` makes it answer StateMachineDoesNotExist like AWS does for a wrong ARN.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SfnStub {
  url: string;
  started: { stateMachineArn: string; name: string; input: unknown }[];
  refuse: boolean;
  close(): Promise<void>;
}

export async function startSfnStub(): Promise<SfnStub> {
  const stub = { url: '', started: [], refuse: false } as unknown as SfnStub;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (target !== 'AWSStepFunctions.StartExecution' || stub.refuse) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist', message: 'State Machine Does Not Exist' }));
        return;
      }
      const request = JSON.parse(body);
      stub.started.push({ stateMachineArn: request.stateMachineArn, name: request.name, input: JSON.parse(request.input) });
      res.end(JSON.stringify({ executionArn: `${String(request.stateMachineArn).replace(':stateMachine:', ':execution:')}:${request.name}`, startDate: Date.now() / 1000 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stub;
}
