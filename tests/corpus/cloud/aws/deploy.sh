#!/usr/bin/env bash
# Deploy the static site to S3 and invalidate CloudFront.
set -euo pipefail

export AWS_ACCESS_KEY_ID=AKIAWKCSHJMOAI6QRMZ3
export AWS_SECRET_ACCESS_KEY="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"
export AWS_DEFAULT_REGION=us-east-1

BUCKET="acme-www-prod"
DISTRIBUTION_ID="E2QWRUHAPOMQZL"
ACCOUNT_ID="303930650119"
BUILD_SHA="$(git rev-parse HEAD)"

echo "deploying ${BUILD_SHA} to s3://${BUCKET}"
aws s3 sync ./dist "s3://${BUCKET}" --delete --cache-control "max-age=300"
aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"
aws sts get-caller-identity --query Arn --output text
echo "role: arn:aws:iam::${ACCOUNT_ID}:role/deployer"
