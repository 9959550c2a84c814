/** `cdk` entry point (cdk.json: `npx tsx infra/app.ts`). Flags: -c localstack=true, -c destroyData=true, -c trainCpu=…, -c trainMemoryMiB=… */
import { createPipelineApp } from './pipeline-app';

createPipelineApp().app.synth();
