# terraform test with the mocked AWS provider of ../testing/aws: no account, no network. Run by
# adapters/fargate's TerraformStacksTest in the build, or by hand:
#   terraform init -backend=false -plugin-dir=<mirror holding hashicorp/aws> && terraform test
# The topic and the alarms' common behaviour are tested with modules/alarms; here, what this
# stack watches.

mock_provider "aws" {
  source = "../testing/aws"
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

# modules/alarms' tests: without alarm_topic_arn the stack creates its topic.
run "alarms_watch_the_dlq_errors_throttles_duration_and_failed_batches_and_notify_one_topic" {
  command = apply

  variables {
    alarm_topic_arn = "arn:aws:sns:eu-central-1:123456789012:platform-oncall"
  }

  assert {
    condition = (
      toset(keys(module.alarms.alarms)) == toset(["errors", "throttles", "dlq-depth", "dlq-age", "batch-failures", "duration-near-timeout"])
      && alltrue([for a in values(module.alarms.alarms) : a.alarm_actions == toset(["arn:aws:sns:eu-central-1:123456789012:platform-oncall"])])
      && output.alarm_topic_arn == "arn:aws:sns:eu-central-1:123456789012:platform-oncall"
    )
    error_message = "one alarm each for errors, throttles, DLQ depth and age, failed batches and duration, notifying the given topic"
  }

  assert {
    condition = (
      module.alarms.alarms["dlq-depth"].dimensions.QueueName == aws_sqs_queue.dlq.name
      && module.alarms.alarms["dlq-age"].dimensions.QueueName == aws_sqs_queue.dlq.name
      && module.alarms.alarms["dlq-age"].threshold == 86400
      && module.alarms.alarms["dlq-depth"].threshold == 0
    )
    error_message = "the DLQ alarms watch the dead-letter queue: any message, or one older than a day"
  }

  assert {
    condition = (
      module.alarms.alarms["batch-failures"].namespace == "docpipe"
      && module.alarms.alarms["batch-failures"].metric_name == "docpipe_batch_failures_total"
      && module.alarms.alarms["batch-failures"].dimensions.FunctionName == "docpipe"
    )
    error_message = "the failed-batch alarm reads the EMF metric under the dimension the function writes"
  }

  assert {
    condition     = module.alarms.alarms["duration-near-timeout"].threshold == 240000 && module.alarms.alarms["duration-near-timeout"].extended_statistic == "p99"
    error_message = "duration alarm at p99 above 80% of the 300 s timeout (240,000 ms)"
  }

  assert {
    condition = (
      length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 6
      && strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "docpipe_documents_total")
      && strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "docpipe_embedding_duration_seconds")
      && strcontains(aws_cloudwatch_dashboard.this.dashboard_body, aws_sqs_queue.dlq.name)
    )
    error_message = "the dashboard shows documents, latency, the queues and the function"
  }
}

run "alarms_can_be_left_out" {
  command = apply

  variables {
    alarms_enabled = false
  }

  assert {
    condition     = length(module.alarms.alarms) == 0 && output.alarm_topic_arn == null
    error_message = "alarms_enabled = false creates no alarm (modules/alarms' tests: and no topic)"
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

# Every malformed input is refused by its own validation: each listed variable must fail.
run "malformed_inputs_are_refused" {
  command = plan
  variables {
    image_uri               = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-lambda:latest" # a tag
    secret_secrets_manager  = { DOCPIPE_QDRANT_API_KEY = "qdrant" }                                   # a name, not an ARN
    sqs_maximum_concurrency = 1                                                                       # below 2
    duration_alarm_ratio    = 1.2                                                                     # beyond 1
  }
  expect_failures = [var.image_uri, var.secret_secrets_manager, var.sqs_maximum_concurrency, var.duration_alarm_ratio]
}
