import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createPipelineApp, SKIP_BUNDLING_CONTEXT, STACK_NAME } from '../../infra/pipeline-app';
import { NAG_ACKNOWLEDGEMENTS } from '../../infra/nag-suppressions';
import { PipelineStack } from '../../infra/pipeline-stack';

const CONTEXT = { ...SKIP_BUNDLING_CONTEXT, 'aws:cdk:disable-asset-staging': true };

function synthWithNag(localstack: boolean) {
  const { app, stack } = createPipelineApp({ cfnValidation: false, context: { ...CONTEXT, localstack: String(localstack) } });
  // Throws "Validation failed" when any AwsSolutions finding is not acknowledged.
  const assembly = app.synth();
  return { stack, template: assembly.getStackByName(STACK_NAME).template as { Resources: Record<string, any> } };
}

const variants = { aws: synthWithNag(false), localstack: synthWithNag(true) };

describe('cdk-nag AwsSolutions', () => {
  for (const [name, { stack }] of Object.entries(variants)) {
    it(`leaves zero unacknowledged findings in the ${name} variant (synth passes the nag plugin)`, () => {
      const report = new AwsSolutionsChecks().validateScope(stack);
      assert.deepEqual(report.violations.map((v) => v.ruleName), []);
    });
  }

  it('reports real findings without the acknowledgements (the pack is really applied)', () => {
    const app = new App({ context: CONTEXT });
    const bare = new PipelineStack(app, 'Bare');
    const rules = new AwsSolutionsChecks().validateScope(bare).violations.map((v) => v.ruleName);
    assert.ok(rules.includes('AwsSolutions-S1'));
    assert.ok(rules.some((r) => r.startsWith('AwsSolutions-IAM5[')));
  });

  it('gives every acknowledgement a written reason and uses each of them', () => {
    const written = Object.values(variants).flatMap(({ template }) =>
      Object.values(template.Resources).flatMap((r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[]),
    );
    assert.ok(written.length > 0, 'acknowledgements are written to the template metadata');
    for (const w of written) assert.ok(w.reason.length >= 40, `${w.id}: ${w.reason}`);
    for (const ack of NAG_ACKNOWLEDGEMENTS) {
      assert.ok(written.some((w) => ack.rule.test(w.id) && w.reason === ack.reason), `unused acknowledgement ${ack.rule}`);
    }
  });

  it('acknowledges nothing at stack level: each one sits on the flagged resource', () => {
    for (const { template } of Object.values(variants)) {
      const stackLevel = (template as { Metadata?: any }).Metadata?.cdk_nag;
      assert.equal(stackLevel, undefined);
    }
  });
});
