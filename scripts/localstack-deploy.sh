#!/usr/bin/env bash
# `npm run localstack:deploy` — bootstrap and deploy the LocalStack variant of the stack with cdklocal
# (-c localstack=true: direct bucket notifications, Train as a Lambda). Start LocalStack first:
#   LOCALSTACK_AUTH_TOKEN=… docker compose -f docker-compose.localstack.yml up -d
set -euo pipefail
cd "$(dirname "$0")/.."

export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost.localstack.cloud:4566}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
export CDK_DISABLE_CLI_TELEMETRY=true

if ! curl -fsS "$AWS_ENDPOINT_URL/_localstack/health" >/dev/null; then
  echo "LocalStack is not answering at $AWS_ENDPOINT_URL — start it with:" >&2
  echo "  LOCALSTACK_AUTH_TOKEN=… docker compose -f docker-compose.localstack.yml up -d" >&2
  exit 1
fi

npx cdklocal bootstrap --no-notices -c localstack=true "aws://000000000000/$AWS_DEFAULT_REGION"
npx cdklocal deploy --no-notices -c localstack=true --require-approval never --outputs-file cdk.out/localstack-outputs.json "$@"
echo "Outputs written to cdk.out/localstack-outputs.json; next: npm run localstack:smoke"
