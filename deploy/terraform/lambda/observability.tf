# Alarms, their SNS topic and a dashboard (issue 20, docs/operations.md, ADR 0023). The function's
# own metrics come from its logs as CloudWatch Embedded Metric Format (namespace "docpipe",
# dimension FunctionName, the names Prometheus shows for Fargate and GKE): no agent, no API call.

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
  create_topic  = var.alarms_enabled && var.alarm_topic_arn == null
  alarm_topic   = var.alarms_enabled ? coalesce(var.alarm_topic_arn, try(aws_sns_topic.alarms[0].arn, "")) : ""
  alarm_actions = var.alarms_enabled ? [local.alarm_topic] : []

  # One alarm per line: metric, statistic, threshold, for how many 5-minute periods.
  lambda_alarms = {
    errors = {
      description = "The function failed invocations (an exception, an S3 event retried, a timeout)."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
      statistic   = "Sum"
      threshold   = 0
      periods     = 1
    }
    throttles = {
      description = "Invocations were throttled: reserved concurrency or the account limit is reached."
      namespace   = "AWS/Lambda"
      metric      = "Throttles"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
      statistic   = "Sum"
      threshold   = 0
      periods     = 1
    }
    dlq-depth = {
      description = "Messages reached the dead-letter queue: they failed max_receive_count times."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = { QueueName = aws_sqs_queue.dlq.name }
      statistic   = "Maximum"
      threshold   = 0
      periods     = 1
    }
    dlq-age = {
      description = "The oldest dead-lettered message waits for longer than dlq_age_alarm_seconds."
      namespace   = "AWS/SQS"
      metric      = "ApproximateAgeOfOldestMessage"
      dimensions  = { QueueName = aws_sqs_queue.dlq.name }
      statistic   = "Maximum"
      threshold   = var.dlq_age_alarm_seconds
      periods     = 1
    }
    batch-failures = {
      description = "Batches (SQS batches, S3 events) ended with failed documents (EMF metric docpipe_batch_failures_total)."
      namespace   = "docpipe"
      metric      = "docpipe_batch_failures_total"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
      statistic   = "Sum"
      threshold   = 0
      periods     = 3
    }
  }
}

resource "aws_sns_topic" "alarms" {
  count             = local.create_topic ? 1 : 0
  name              = "${var.name}-alarms"
  kms_master_key_id = "alias/aws/sns"
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "alarm_emails" {
  for_each  = local.create_topic ? toset(var.alarm_emails) : toset([])
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "lambda" {
  for_each            = var.alarms_enabled ? local.lambda_alarms : {}
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.description} See docs/operations.md."
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

# p99 duration near the timeout: a batch that runs into it leaves work undone (retried later).
resource "aws_cloudwatch_metric_alarm" "duration" {
  count               = var.alarms_enabled ? 1 : 0
  alarm_name          = "${var.name}-duration-near-timeout"
  alarm_description   = "p99 duration above ${var.duration_alarm_ratio * 100}% of the ${var.timeout_seconds} s timeout. See docs/operations.md."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = var.duration_alarm_ratio * var.timeout_seconds * 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "Documents by outcome and reason (EMF)"
          region = data.aws_region.current.name
          stat   = "Sum"
          period = 300
          metrics = [[{
            expression = "SEARCH('{docpipe,FunctionName,outcome,reason} MetricName=\"docpipe_documents_total\" FunctionName=\"${var.name}\"', 'Sum', 300)"
            id         = "documents"
          }]]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "Embedding and write latency (s)"
          region = data.aws_region.current.name
          period = 300
          metrics = [
            ["docpipe", "docpipe_embedding_duration_seconds", "FunctionName", var.name, { stat = "p50" }],
            ["docpipe", "docpipe_embedding_duration_seconds", "FunctionName", var.name, { stat = "p99" }],
            ["docpipe", "docpipe_vector_store_write_duration_seconds", "FunctionName", var.name, { stat = "p99" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "Queues: waiting, oldest (s), dead-lettered"
          region = data.aws_region.current.name
          stat   = "Maximum"
          period = 60
          metrics = [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.work.name],
            ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.work.name, { yAxis = "right" }],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dlq.name],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "Function: invocations, errors, throttles, p99 duration (ms)"
          region = data.aws_region.current.name
          period = 60
          metrics = [
            ["AWS/Lambda", "Invocations", "FunctionName", var.name, { stat = "Sum" }],
            ["AWS/Lambda", "Errors", "FunctionName", var.name, { stat = "Sum" }],
            ["AWS/Lambda", "Throttles", "FunctionName", var.name, { stat = "Sum" }],
            ["AWS/Lambda", "Duration", "FunctionName", var.name, { stat = "p99", yAxis = "right" }],
          ]
          annotations = { horizontal = [{ label = "timeout", value = var.timeout_seconds * 1000, yAxis = "right" }] }
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "Chunks embedded, failed batches (EMF)"
          region = data.aws_region.current.name
          stat   = "Sum"
          period = 300
          metrics = [
            ["docpipe", "docpipe_chunks_embedded_total", "FunctionName", var.name],
            ["docpipe", "docpipe_batch_failures_total", "FunctionName", var.name, { yAxis = "right" }],
          ]
        }
      },
      {
        type = "log", x = 12, y = 12, width = 12, height = 6
        properties = {
          title  = "Failed documents and messages"
          region = data.aws_region.current.name
          query  = "SOURCE '${aws_cloudwatch_log_group.function.name}' | fields @timestamp, @message | filter @message like /failed/ and @message not like /_aws/ | sort @timestamp desc | limit 50"
        }
      },
    ]
  })
}

output "alarm_topic_arn" {
  description = "The SNS topic the alarms notify (null when alarms_enabled = false)."
  value       = var.alarms_enabled ? local.alarm_topic : null
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of the function, its queues and its documents."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
