/**
 * The one test that synthesizes the app the way `npx cdk synth` does: esbuild bundling of every function (locally,
 * no Docker), asset staging, cdk-nag and CDK's CloudFormation validation — offline, without credentials.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../../infra/paths';
import { createPipelineApp, STACK_NAME } from '../../infra/pipeline-app';

// Inside the repository (cdk.out/ is git-ignored) so a bundle's external imports (@aws-sdk/*) resolve when loaded.
mkdirSync(join(REPO_ROOT, 'cdk.out'), { recursive: true });
const outdir = mkdtempSync(join(REPO_ROOT, 'cdk.out', 'test-'));
after(() => rmSync(outdir, { recursive: true, force: true }));

const savedEnv = { ...process.env };
for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') && key !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete process.env[key];
const { app, stack } = createPipelineApp({ outdir });
const assembly = app.synth();
process.env = savedEnv;
const template = assembly.getStackByName(STACK_NAME).template as { Resources: Record<string, any> };

function assetDirOf(fn: { node: { defaultChild?: unknown } }): string {
  const id = stack.getLogicalId(fn.node.defaultChild as never);
  const key = template.Resources[id].Properties.Code.S3Key as string;
  return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

/** Source files esbuild put in a bundle: from its source map, or from esbuild's module comments when it has none. */
function bundledSources(dir: string): string[] {
  const mapFile = join(dir, 'index.mjs.map');
  if (existsSync(mapFile)) return (JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] }).sources;
  return [];
}

describe('cdk synth (bundling, nag, CloudFormation validation)', () => {
  it('bundles every function into an ESM index.mjs that imports the AWS SDK from the runtime (predict: inlined)', () => {
    const fns = [
      stack.ingest.extractor,
      stack.training.assemble,
      stack.training.register,
      stack.training.markFailed,
      stack.api.control,
    ].map((f) => f.fn);
    for (const fn of fns) {
      const dir = assetDirOf(fn);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      assert.match(code, /from"@aws-sdk\/client-[a-z0-9-]+"/, `${fn.node.path} imports the SDK as an external module`);
      const sources = bundledSources(dir);
      assert.ok(!sources.some((s) => s.includes('node_modules/@aws-sdk/')), `${fn.node.path} bundles no @aws-sdk/*`);
    }
    assert.ok(bundledSources(assetDirOf(stack.ingest.extractor.fn)).length > 0, 'source maps for readable stack traces');
    assert.ok(!existsSync(join(assetDirOf(stack.api.predict.fn), 'index.mjs.map')), 'predict ships no source map (cold start)');
    // predict inlines its SDK clients (cold start, docs/predict.md): no runtime SDK import left.
    const predictCode = readFileSync(join(assetDirOf(stack.api.predict.fn), 'index.mjs'), 'utf8');
    assert.doesNotMatch(predictCode, /from"@aws-sdk\//, 'predict bundles its AWS SDK clients');
  });

  it('produces bundles that load in Node and export `handler`', async () => {
    const fns = [stack.ingest.extractor, stack.training.assemble, stack.training.register, stack.training.markFailed, stack.api.predict, stack.api.control];
    for (const { fn } of fns) {
      const module = (await import(pathToFileURL(join(assetDirOf(fn), 'index.mjs')).href)) as { handler?: unknown };
      assert.equal(typeof module.handler, 'function', fn.node.path);
    }
  });

  it('puts tfjs core + layers + the cpu backend in the predict bundle, never tfjs-node', () => {
    const code = readFileSync(join(assetDirOf(stack.api.predict.fn), 'index.mjs'), 'utf8');
    // Markers that survive minification: error text of tfjs-core, the layers version banner, the cpu backend registration.
    assert.ok(code.includes('Tensor is disposed'), 'tfjs-core');
    assert.ok(code.includes('TensorFlow.js tfjs-layers'), 'tfjs-layers');
    assert.match(code, /"cpu",\s*\(\)\s*=>\s*new/, 'tfjs-backend-cpu registered');
    assert.ok(!code.includes('tfjs_binding') && !code.includes('.node"'), 'no tfjs-node native binding');
    assert.ok(code.length < 2 * 1024 * 1024, `bundle ${code.length} bytes`);
  });

  it('stages the trainer image context from the repository root without node_modules', () => {
    const [, taskDef] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::ECS::TaskDefinition')!;
    assert.ok(JSON.stringify(taskDef.Properties.ContainerDefinitions[0].Image).includes('cdk-hnb659fds-container-assets'));
    const imageDir = readdirSync(outdir).find((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'functions/train/Dockerfile')));
    assert.ok(imageDir, 'a staged context with functions/train/Dockerfile');
    assert.ok(!existsSync(join(outdir, imageDir, 'node_modules')) && !existsSync(join(outdir, imageDir, 'test')));
    assert.ok(existsSync(join(outdir, imageDir, 'package-lock.json')) && existsSync(join(outdir, imageDir, 'shared')));
  });

  it('is environment-agnostic: no account or region baked in, no context lookups needed', () => {
    const artifact = assembly.getStackByName(STACK_NAME);
    assert.equal(artifact.environment.account, 'unknown-account');
    assert.equal(artifact.environment.region, 'unknown-region');
    assert.deepEqual(assembly.manifest.missing ?? [], []);
  });
});
