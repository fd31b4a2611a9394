# terraform test with a mocked AWS provider: no account, no network. Run by
# adapters/lambda's LambdaTerraformTest in the build, or by hand:
#   terraform init -backend=false -plugin-dir=<mirror holding hashicorp/aws> && terraform test

mock_provider "aws" {
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-central-1:123456789012:docpipe-alarms" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-central-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/docpipe-lambda" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/lambda/docpipe" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-central-1:123456789012:docpipe"
      id  = "https://sqs.eu-central-1.amazonaws.com/123456789012/docpipe"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn     = "arn:aws:lambda:eu-central-1:123456789012:function:docpipe"
      version = "7"
    }
  }
  mock_resource "aws_lambda_alias" {
    defaults = { arn = "arn:aws:lambda:eu-central-1:123456789012:function:docpipe:live" }
  }
}

variables {
  image_uri = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-lambda@sha256:0000000000000000000000000000000000000000000000000000000000000000"
  environment = {
    DOCPIPE_VECTOR_STORE = "qdrant"
    DOCPIPE_QDRANT_HOST  = "qdrant.internal"
  }
}

run "each_deploy_publishes_a_version_and_the_alias_follows_it" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.publish && aws_lambda_alias.live.function_version == "7"
    error_message = "the function publishes a version and the live alias points at it"
  }

  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == -1 && length(aws_lambda_event_source_mapping.work[0].scaling_config) == 0
    error_message = "reserved concurrency and the SQS concurrency cap are unset by default"
  }

  assert {
    condition     = aws_cloudwatch_log_group.function.kms_key_id == null
    error_message = "the log group does not use the environment key"
  }

  assert {
    condition     = !contains(keys(aws_lambda_function.this.environment[0].variables), "DOCPIPE_SECRETS_FROM") && !contains(keys(aws_lambda_function.this.environment[0].variables), "DOCPIPE_ALLOW_EPHEMERAL_INDEX")
    error_message = "no secrets and no ephemeral-index permission unless asked for"
  }
}

run "rollback_moves_the_alias_to_an_earlier_version" {
  command = apply
  variables {
    live_version = "6"
  }
  assert {
    condition     = aws_lambda_alias.live.function_version == "6" && output.function_version == "7"
    error_message = "live_version pins the alias while the new version still exists"
  }
}

run "secrets_reach_the_function_as_references_and_the_role_may_read_them" {
  command = apply
  variables {
    secret_ssm_parameters  = { DOCPIPE_OPENAI_API_KEY = "/docpipe/openai-api-key" }
    secret_secrets_manager = { DOCPIPE_QDRANT_API_KEY = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf" }
    secrets_kms_key_arns   = ["arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555"]
    kms_key_arn            = "arn:aws:kms:eu-central-1:123456789012:key/env"
    logs_kms_key_arn       = "arn:aws:kms:eu-central-1:123456789012:key/logs"
    reserved_concurrency   = 5
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["DOCPIPE_SECRETS_FROM"] == "DOCPIPE_OPENAI_API_KEY=arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai-api-key,DOCPIPE_QDRANT_API_KEY=arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf"
    error_message = "DOCPIPE_SECRETS_FROM names each secret's ARN"
  }

  assert {
    condition     = !contains(keys(aws_lambda_function.this.environment[0].variables), "DOCPIPE_OPENAI_API_KEY") && !contains(keys(aws_lambda_function.this.environment[0].variables), "DOCPIPE_QDRANT_API_KEY")
    error_message = "no secret value is put in the environment (or the state)"
  }

  assert {
    condition = (
      contains([for s in data.aws_iam_policy_document.function.statement : s.sid], "ReadSecretParameters")
      && [for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "ReadSecretParameters"][0] == toset(["arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai-api-key"])
      && [for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "ReadSecrets"][0] == toset(["arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf*"])
      && [for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "DecryptSecrets"][0] == toset(["arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555"])
    )
    error_message = "the role reads exactly the given parameters and secrets and decrypts with the given keys"
  }

  assert {
    condition     = aws_cloudwatch_log_group.function.kms_key_id == "arn:aws:kms:eu-central-1:123456789012:key/logs" && aws_lambda_function.this.kms_key_arn == "arn:aws:kms:eu-central-1:123456789012:key/env"
    error_message = "logs and environment are encrypted with their own keys"
  }

  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == 5
    error_message = "reserved_concurrency applies when set"
  }
}

run "source_bucket_is_readable_and_listable_under_its_prefix" {
  command = apply
  variables {
    source_bucket_name      = "my-docs"
    source_prefix           = "docs/"
    sqs_maximum_concurrency = 4
  }

  assert {
    condition = (
      [for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "ReadSourceObjects"][0] == toset(["arn:aws:s3:::my-docs/docs/*"])
      && [for s in data.aws_iam_policy_document.function.statement : s.actions if s.sid == "ListSourcePrefix"][0] == toset(["s3:ListBucket"])
      && [for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "ListSourcePrefix"][0] == toset(["arn:aws:s3:::my-docs"])
    )
    error_message = "s3:GetObject under the prefix and s3:ListBucket on the bucket (a deleted object answers 404, not 403)"
  }

  assert {
    condition     = aws_lambda_event_source_mapping.work[0].scaling_config[0].maximum_concurrency == 4 && length(aws_s3_bucket_notification.source) == 1
    error_message = "the SQS concurrency cap and the bucket notification are created"
  }
}

run "s3_handler_sends_failures_to_a_standard_dlq" {
  command = apply
  variables {
    handler            = "s3"
    source_bucket_name = "my-docs"
  }
  assert {
    condition     = length(aws_lambda_function_event_invoke_config.s3) == 1 && length(aws_lambda_permission.s3) == 1 && length(aws_lambda_event_source_mapping.work) == 0
    error_message = "handler s3: async invoke config and permission, no queue mapping"
  }
}

run "http_handler_with_function_url" {
  command = apply
  variables {
    handler      = "http"
    function_url = true
  }
  assert {
    condition     = length(aws_lambda_function_url.http) == 1 && aws_lambda_function_url.http[0].qualifier == "live"
    error_message = "the Function URL serves the live alias"
  }
}

run "throwaway_index_when_explicitly_allowed" {
  command = plan
  variables {
    environment           = {}
    allow_ephemeral_index = true
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["DOCPIPE_ALLOW_EPHEMERAL_INDEX"] == "true"
    error_message = "allow_ephemeral_index reaches the function as DOCPIPE_ALLOW_EPHEMERAL_INDEX=true"
  }
}

run "embedded_index_without_permission_is_refused" {
  command = plan
  variables {
    environment = {}
  }
  expect_failures = [aws_lambda_function.this]
}

run "fifo_dlq_as_on_failure_destination_is_refused" {
  command = plan
  variables {
    handler = "s3"
    fifo    = true
  }
  expect_failures = [aws_lambda_function_event_invoke_config.s3]
}

run "s3_notifications_to_a_fifo_queue_are_refused" {
  command = plan
  variables {
    fifo               = true
    source_bucket_name = "my-docs"
  }
  expect_failures = [aws_s3_bucket_notification.source]
}

run "snap_start_with_an_image_is_refused" {
  command = plan
  variables {
    snap_start = true
  }
  expect_failures = [aws_lambda_function.this]
}

run "image_by_tag_is_refused" {
  command = plan
  variables {
    image_uri = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-lambda:latest"
  }
  expect_failures = [var.image_uri]
}

run "secrets_manager_secret_by_name_is_refused" {
  command = plan
  variables {
    secret_secrets_manager = { DOCPIPE_QDRANT_API_KEY = "qdrant" }
  }
  expect_failures = [var.secret_secrets_manager]
}

run "sqs_concurrency_cap_below_two_is_refused" {
  command = plan
  variables {
    sqs_maximum_concurrency = 1
  }
  expect_failures = [var.sqs_maximum_concurrency]
}
