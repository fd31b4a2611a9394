# Alarms and a dashboard (issue 20, docs/operations.md, ADR 0023); the alarms and their SNS topic
# come from ../modules/alarms. The function's own metrics come from its logs as CloudWatch Embedded
# Metric Format (namespace "docpipe", dimension FunctionName, the names Prometheus shows for
# Fargate and GKE): no agent, no API call.

locals {
  function_dimensions = { FunctionName = aws_lambda_function.this.function_name }
  dlq_dimensions      = { QueueName = aws_sqs_queue.dlq.name }
}

module "alarms" {
  source    = "../modules/alarms"
  name      = var.name
  enabled   = var.alarms_enabled
  topic_arn = var.alarm_topic_arn
  emails    = var.alarm_emails
  tags      = var.tags

  # Five-minute periods; threshold 0 and one period unless said otherwise.
  alarms = {
    errors = {
      description = "The function failed invocations (an exception, an S3 event retried, a timeout)."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = local.function_dimensions
      statistic   = "Sum"
    }
    throttles = {
      description = "Invocations were throttled: reserved concurrency or the account limit is reached."
      namespace   = "AWS/Lambda"
      metric      = "Throttles"
      dimensions  = local.function_dimensions
      statistic   = "Sum"
    }
    dlq-depth = {
      description = "Messages reached the dead-letter queue: they failed max_receive_count times."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = local.dlq_dimensions
      statistic   = "Maximum"
    }
    dlq-age = {
      description = "The oldest dead-lettered message waits for longer than dlq_age_alarm_seconds."
      namespace   = "AWS/SQS"
      metric      = "ApproximateAgeOfOldestMessage"
      dimensions  = local.dlq_dimensions
      statistic   = "Maximum"
      threshold   = var.dlq_age_alarm_seconds
    }
    batch-failures = {
      description = "Batches (SQS batches, S3 events) ended with failed documents (EMF metric docpipe_batch_failures_total)."
      namespace   = "docpipe"
      metric      = "docpipe_batch_failures_total"
      dimensions  = local.function_dimensions
      statistic   = "Sum"
      periods     = 3
    }
    # p99 duration near the timeout: a batch that runs into it leaves work undone (retried later).
    duration-near-timeout = {
      description        = "p99 duration above ${var.duration_alarm_ratio * 100}% of the ${var.timeout_seconds} s timeout."
      namespace          = "AWS/Lambda"
      metric             = "Duration"
      dimensions         = local.function_dimensions
      extended_statistic = "p99"
      threshold          = var.duration_alarm_ratio * var.timeout_seconds * 1000
      periods            = 2
    }
  }
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
