# docpipe on AWS Lambda: the function (container image by digest, or a zip for SnapStart), its
# queue and dead-letter queue, the SQS event source mapping with partial batch responses, S3
# notifications, least-privilege IAM, logs, and settings from SSM / Secrets Manager.
# See README.md beside this file and docs/adr/0006-lambda-container-runtime.md.

locals {
  handler_class = {
    sqs  = "io.docpipe.lambda.SqsHandler::handleRequest"
    s3   = "io.docpipe.lambda.S3Handler::handleRequest"
    http = "io.docpipe.lambda.HttpHandler::handleRequest"
  }[var.handler]

  zip          = var.zip_package != null
  queue_suffix = var.fifo ? ".fifo" : ""
  use_bucket   = var.source_bucket_name != ""
  # Used only where use_bucket holds (counts and conditions below).
  source_bucket_arn = "arn:${local.partition}:s3:::${var.source_bucket_name}"

  # Secrets travel as references: the function reads the values at start (DOCPIPE_SECRETS_FROM,
  # docs/adr/0019-deploy-by-digest-secrets-at-run-time.md); no value reaches the state.
  ssm_arns = { for k, p in var.secret_ssm_parameters : k => (
    startswith(p, "arn:") ? p : "arn:${local.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter/${trimprefix(p, "/")}"
  ) }
  secret_refs  = merge(local.ssm_arns, var.secret_secrets_manager)
  secrets_from = join(",", [for k, ref in local.secret_refs : "${k}=${ref}"])

  partition    = data.aws_partition.current.partition
  shared_store = lower(lookup(var.environment, "DOCPIPE_VECTOR_STORE", "lucene")) == "qdrant"
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = var.tags
}

# --- Queues ------------------------------------------------------------------------------------

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq${local.queue_suffix}"
  fifo_queue                = var.fifo
  message_retention_seconds = 1209600 # 14 days: time to look at what could not be indexed
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "work" {
  name                        = "${var.name}${local.queue_suffix}"
  fifo_queue                  = var.fifo
  content_based_deduplication = var.fifo ? true : null
  # AWS's guidance for Lambda consumers: at least six times the function timeout.
  visibility_timeout_seconds = 6 * var.timeout_seconds
  message_retention_seconds  = 345600 # 4 days
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.work.arn]
  })
}

# S3 may send its notifications to the work queue (handler = "sqs"); S3 cannot send to FIFO queues.
resource "aws_sqs_queue_policy" "s3_to_work" {
  count     = local.use_bucket && var.handler == "sqs" && !var.fifo ? 1 : 0
  queue_url = aws_sqs_queue.work.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "S3Notifications"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.work.arn
      Condition = {
        ArnEquals    = { "aws:SourceArn" = local.source_bucket_arn }
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
      }
    }]
  })
}

# --- IAM: only what the handlers do ----------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

# Each statement with the input that calls for it; the policy holds the ones called for, in order.
locals {
  policy_statements = [for s in [
    {
      sid       = "Logs"
      needed    = true
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
    },
    {
      sid       = "ConsumeWorkQueue"
      needed    = var.handler == "sqs"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.work.arn]
    },
    {
      sid       = "AsyncFailuresToDeadLetterQueue"
      needed    = var.handler == "s3"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dlq.arn]
    },
    {
      sid       = "ReadSourceObjects"
      needed    = local.use_bucket
      actions   = ["s3:GetObject"]
      resources = ["${local.source_bucket_arn}/${var.source_prefix}*"]
    },
    # Without ListBucket S3 answers 403 for a deleted object, and docpipe retries a 403 into the DLQ.
    {
      sid       = "ListSourcePrefix"
      needed    = local.use_bucket
      actions   = ["s3:ListBucket"]
      resources = [local.source_bucket_arn]
      s3_prefix = "${var.source_prefix}*"
    },
    {
      sid       = "ReadSecretParameters"
      needed    = length(local.ssm_arns) > 0
      actions   = ["ssm:GetParameter"]
      resources = values(local.ssm_arns)
    },
    {
      sid       = "ReadSecrets"
      needed    = length(var.secret_secrets_manager) > 0
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [for arn in values(var.secret_secrets_manager) : "${arn}*"]
    },
    {
      sid       = "DecryptSecrets"
      needed    = length(var.secrets_kms_key_arns) > 0
      actions   = ["kms:Decrypt"]
      resources = var.secrets_kms_key_arns
    },
    {
      sid       = "DecryptEnvironment"
      needed    = var.kms_key_arn != null
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    },
  ] : s if s.needed]
}

data "aws_iam_policy_document" "function" {
  dynamic "statement" {
    for_each = local.policy_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
      dynamic "condition" {
        for_each = try([statement.value.s3_prefix], [])
        content {
          test     = "StringLike"
          variable = "s3:prefix"
          values   = [condition.value]
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.name}-lambda"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_iam_role_policy_attachment" "vpc" {
  count      = var.vpc == null ? 0 : 1
  role       = aws_iam_role.function.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

# --- The function ------------------------------------------------------------------------------

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.function.arn
  memory_size   = var.memory_mb
  timeout       = var.timeout_seconds
  architectures = ["x86_64"] # the image's glibc and JRE are linux/amd64

  package_type = local.zip ? "Zip" : "Image"
  image_uri    = local.zip ? null : var.image_uri
  s3_bucket    = local.zip ? var.zip_package.s3_bucket : null
  s3_key       = local.zip ? var.zip_package.s3_key : null
  runtime      = local.zip ? "java21" : null
  handler      = local.zip ? local.handler_class : null

  dynamic "image_config" {
    for_each = local.zip ? [] : [1]
    content {
      command = [local.handler_class]
    }
  }

  reserved_concurrent_executions = var.reserved_concurrency == null ? -1 : var.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn

  ephemeral_storage {
    size = var.ephemeral_storage_mb
  }

  environment {
    variables = merge(
      local.zip ? { JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1" } : {},
      var.environment,
      local.secrets_from == "" ? {} : { DOCPIPE_SECRETS_FROM = local.secrets_from },
      var.allow_ephemeral_index ? { DOCPIPE_ALLOW_EPHEMERAL_INDEX = "true" } : {},
    )
  }

  dynamic "vpc_config" {
    for_each = var.vpc == null ? [] : [var.vpc]
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  # Every change publishes a version and the alias moves to it; rollback moves the alias back
  # (live_version). SnapStart applies to published versions of zip-packaged Java functions.
  publish = true
  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !var.snap_start || local.zip
      error_message = "snap_start needs zip_package: AWS Lambda does not offer SnapStart for container images."
    }
    precondition {
      condition     = local.shared_store || var.allow_ephemeral_index
      error_message = "With the embedded index every Lambda execution environment writes its own index under /tmp and loses it when recycled, while the messages are acknowledged: set environment DOCPIPE_VECTOR_STORE = \"qdrant\" with the DOCPIPE_QDRANT_* settings, or allow_ephemeral_index = true for a throwaway demo."
    }
  }

  depends_on = [aws_iam_role_policy.function, aws_iam_role_policy_attachment.vpc]
}

# Event sources invoke the alias: the version this apply published, or live_version (rollback).
resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.this.function_name
  function_version = coalesce(var.live_version, aws_lambda_function.this.version)
}

resource "aws_lambda_event_source_mapping" "work" {
  count                              = var.handler == "sqs" ? 1 : 0
  event_source_arn                   = aws_sqs_queue.work.arn
  function_name                      = aws_lambda_alias.live.arn
  batch_size                         = var.sqs_batch_size
  maximum_batching_window_in_seconds = var.fifo ? null : var.sqs_batch_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  dynamic "scaling_config" {
    for_each = var.sqs_maximum_concurrency == null ? [] : [1]
    content {
      maximum_concurrency = var.sqs_maximum_concurrency
    }
  }
}

# handler = "s3": S3 invokes the function asynchronously; Lambda retries twice, then the event
# goes to the dead-letter queue.
resource "aws_lambda_function_event_invoke_config" "s3" {
  count                        = var.handler == "s3" ? 1 : 0
  function_name                = aws_lambda_function.this.function_name
  qualifier                    = aws_lambda_alias.live.name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 21600
  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }

  lifecycle {
    precondition {
      condition     = !var.fifo
      error_message = "Lambda cannot send on-failure records to a FIFO queue: handler = \"s3\" needs fifo = false."
    }
  }
}

resource "aws_lambda_permission" "s3" {
  count          = local.use_bucket && var.handler == "s3" ? 1 : 0
  statement_id   = "AllowS3Invoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  qualifier      = aws_lambda_alias.live.name
  principal      = "s3.amazonaws.com"
  source_arn     = local.source_bucket_arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "source" {
  count  = local.use_bucket && contains(["sqs", "s3"], var.handler) ? 1 : 0
  bucket = var.source_bucket_name

  dynamic "queue" {
    for_each = var.handler == "sqs" ? [1] : []
    content {
      queue_arn     = aws_sqs_queue.work.arn
      events        = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
      filter_prefix = var.source_prefix == "" ? null : var.source_prefix
    }
  }

  dynamic "lambda_function" {
    for_each = var.handler == "s3" ? [1] : []
    content {
      lambda_function_arn = aws_lambda_alias.live.arn
      events              = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
      filter_prefix       = var.source_prefix == "" ? null : var.source_prefix
    }
  }

  depends_on = [aws_sqs_queue_policy.s3_to_work, aws_lambda_permission.s3]

  lifecycle {
    precondition {
      condition     = !(var.fifo && var.handler == "sqs")
      error_message = "S3 cannot notify a FIFO queue: use fifo = false with a source bucket, or feed the FIFO queue yourself."
    }
  }
}

resource "aws_lambda_function_url" "http" {
  count              = var.handler == "http" && var.function_url ? 1 : 0
  function_name      = aws_lambda_function.this.function_name
  qualifier          = aws_lambda_alias.live.name
  authorization_type = "AWS_IAM"
}
