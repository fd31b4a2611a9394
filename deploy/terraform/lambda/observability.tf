# Alarms and a dashboard (issue 20, docs/operations.md, ADR 0023); the alarms and their SNS topic
# come from ../modules/alarms. The function's own metrics come from its logs as CloudWatch Embedded
# Metric Format (namespace "docpipe", dimension FunctionName, the names Prometheus shows for
# Fargate and GKE): no agent, no API call.

variable "alarms_enabled" {
  description = "Create the CloudWatch alarms (and, without alarm_topic_arn, their SNS topic)."
  type        = bool
  default     = true
}

variable "alarm_topic_arn" {
  description = "An existing SNS topic for the alarms; null = the module creates \"<name>-alarms\"."
  type        = string
  default     = null
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the module's alarm topic (each confirms once)."
  type        = list(string)
  default     = []
}

variable "dlq_age_alarm_seconds" {
  description = "Alarm when the oldest dead-lettered message is older than this: nobody looked at it."
  type        = number
  default     = 86400
  validation {
    condition     = var.dlq_age_alarm_seconds >= 60
    error_message = "dlq_age_alarm_seconds must be at least 60."
  }
}

variable "duration_alarm_ratio" {
  description = "Alarm when the p99 duration exceeds this share of timeout_seconds (the deadline margin starts stopping work near it)."
  type        = number
  default     = 0.8
  validation {
    condition     = var.duration_alarm_ratio > 0 && var.duration_alarm_ratio < 1
    error_message = "duration_alarm_ratio must lie between 0 and 1."
  }
}

locals {
  function_dimensions = { FunctionName = aws_lambda_function.this.function_name }

  # Five-minute periods; threshold 0 and one period unless said otherwise.
  function_sum = { dimensions = local.function_dimensions, statistic = "Sum" }
  dlq_alarm    = { namespace = "AWS/SQS", dimensions = { QueueName = aws_sqs_queue.dlq.name }, statistic = "Maximum" }
  alarms = {
    errors    = merge(local.function_sum, { namespace = "AWS/Lambda", metric = "Errors", description = "The function failed invocations (an exception, an S3 event retried, a timeout)." })
    throttles = merge(local.function_sum, { namespace = "AWS/Lambda", metric = "Throttles", description = "Invocations were throttled: reserved concurrency or the account limit is reached." })
    dlq-depth = merge(local.dlq_alarm, { metric = "ApproximateNumberOfMessagesVisible", description = "Messages reached the dead-letter queue: they failed max_receive_count times." })
    dlq-age   = merge(local.dlq_alarm, { metric = "ApproximateAgeOfOldestMessage", threshold = var.dlq_age_alarm_seconds, description = "The oldest dead-lettered message waits for longer than dlq_age_alarm_seconds." })
    batch-failures = merge(local.function_sum, {
      namespace   = "docpipe"
      metric      = "docpipe_batch_failures_total"
      periods     = 3
      description = "Batches (SQS batches, S3 events) ended with failed documents (EMF metric docpipe_batch_failures_total)."
    })
    # p99 duration near the timeout: a batch that runs into it leaves work undone (retried later).
    duration-near-timeout = {
      namespace          = "AWS/Lambda"
      metric             = "Duration"
      dimensions         = local.function_dimensions
      extended_statistic = "p99"
      threshold          = var.duration_alarm_ratio * var.timeout_seconds * 1000
      periods            = 2
      description        = "p99 duration above ${var.duration_alarm_ratio * 100}% of the ${var.timeout_seconds} s timeout."
    }
  }
}

module "alarms" {
  source    = "../modules/alarms"
  name      = var.name
  enabled   = var.alarms_enabled
  topic_arn = var.alarm_topic_arn
  emails    = var.alarm_emails
  alarms    = local.alarms
  tags      = var.tags
}

# The alarms and the topic lived in this module before ../modules/alarms: existing ones move.
moved {
  from = aws_sns_topic.alarms
  to   = module.alarms.aws_sns_topic.alarms
}

moved {
  from = aws_sns_topic_subscription.alarm_emails
  to   = module.alarms.aws_sns_topic_subscription.alarm_emails
}

moved {
  from = aws_cloudwatch_metric_alarm.lambda
  to   = module.alarms.aws_cloudwatch_metric_alarm.this
}

moved {
  from = aws_cloudwatch_metric_alarm.duration[0]
  to   = module.alarms.aws_cloudwatch_metric_alarm.this["duration-near-timeout"]
}

# The dashboard's widgets in reading order; laid out two a row, each half the width, all in this
# stack's region.
locals {
  dashboard_widgets = [
    { type = "metric", properties = {
      title = "Documents by outcome and reason (EMF)", stat = "Sum", period = 300
      metrics = [[{
        expression = "SEARCH('{docpipe,FunctionName,outcome,reason} MetricName=\"docpipe_documents_total\" FunctionName=\"${var.name}\"', 'Sum', 300)"
        id         = "documents"
      }]]
    } },
    { type = "metric", properties = {
      title = "Embedding and write latency (s)", period = 300
      metrics = [
        ["docpipe", "docpipe_embedding_duration_seconds", "FunctionName", var.name, { stat = "p50" }],
        ["docpipe", "docpipe_embedding_duration_seconds", "FunctionName", var.name, { stat = "p99" }],
        ["docpipe", "docpipe_vector_store_write_duration_seconds", "FunctionName", var.name, { stat = "p99" }],
      ]
    } },
    { type = "metric", properties = {
      title = "Queues: waiting, oldest (s), dead-lettered", stat = "Maximum", period = 60
      metrics = [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.work.name],
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.work.name, { yAxis = "right" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dlq.name],
      ]
    } },
    { type = "metric", properties = {
      title = "Function: invocations, errors, throttles, p99 duration (ms)", period = 60
      metrics = [
        ["AWS/Lambda", "Invocations", "FunctionName", var.name, { stat = "Sum" }],
        ["AWS/Lambda", "Errors", "FunctionName", var.name, { stat = "Sum" }],
        ["AWS/Lambda", "Throttles", "FunctionName", var.name, { stat = "Sum" }],
        ["AWS/Lambda", "Duration", "FunctionName", var.name, { stat = "p99", yAxis = "right" }],
      ]
      annotations = { horizontal = [{ label = "timeout", value = var.timeout_seconds * 1000, yAxis = "right" }] }
    } },
    { type = "metric", properties = {
      title = "Chunks embedded, failed batches (EMF)", stat = "Sum", period = 300
      metrics = [
        ["docpipe", "docpipe_chunks_embedded_total", "FunctionName", var.name],
        ["docpipe", "docpipe_batch_failures_total", "FunctionName", var.name, { yAxis = "right" }],
      ]
    } },
    { type = "log", properties = {
      title = "Failed documents and messages"
      query = "SOURCE '${aws_cloudwatch_log_group.function.name}' | fields @timestamp, @message | filter @message like /failed/ and @message not like /_aws/ | sort @timestamp desc | limit 50"
    } },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = [for i, w in local.dashboard_widgets : {
    type       = w.type, x = i % 2 * 12, y = floor(i / 2) * 6, width = 12, height = 6
    properties = merge({ region = data.aws_region.current.name }, w.properties)
  }] })
}

output "alarm_topic_arn" {
  description = "The SNS topic the alarms notify (null when alarms_enabled = false)."
  value       = module.alarms.topic_arn
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of the function, its queues and its documents."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
