# The walk-through's root module applies against the mocked AWS provider of ../../testing/aws:
# every input it passes to the two modules exists and satisfies their validations and
# preconditions.

mock_provider "aws" {
  source = "../../testing/aws"
}

variables {
  lambda_image_uri          = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-lambda@sha256:1111111111111111111111111111111111111111111111111111111111111111"
  fargate_image             = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-fargate@sha256:2222222222222222222222222222222222222222222222222222222222222222"
  corpus_bucket_name        = "my-docpipe-docs"
  qdrant_host               = "xyz.eu-central-1-0.aws.cloud.qdrant.io"
  qdrant_api_key_secret_arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:docpipe/qdrant-api-key-AbCdEf"
  api_tokens_parameter_arn  = "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/api-tokens"
}

run "walk_through_applies" {
  command = apply

  assert {
    condition     = module.indexer.function_version == "7" && startswith(output.search_url, "http://")
    error_message = "the walk-through's stack applies and names its endpoints"
  }
}
