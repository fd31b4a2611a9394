# The alarms, their topic and the dashboard (observability.tf) with a mocked AWS provider, as
# tests/lambda.tftest.hcl; run by the same build step (LambdaTerraformTest / TerraformStacksTest).

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

run "alarms_watch_the_dlq_errors_throttles_duration_and_failed_batches_and_notify_one_topic" {
  command = apply

  variables {
    alarm_emails = ["oncall@example.com"]
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 1 && length(aws_sns_topic_subscription.alarm_emails) == 1
    error_message = "without alarm_topic_arn the module creates the topic and subscribes the e-mails"
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.lambda)) == toset(["errors", "throttles", "dlq-depth", "dlq-age", "batch-failures"])
    error_message = "one alarm each for errors, throttles, DLQ depth and age, failed batches"
  }

  assert {
    condition = alltrue([for a in values(aws_cloudwatch_metric_alarm.lambda) :
    a.alarm_actions == toset([aws_sns_topic.alarms[0].arn]) && a.ok_actions == toset([aws_sns_topic.alarms[0].arn])])
    error_message = "every alarm notifies the topic, on alarm and on recovery"
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.lambda["dlq-depth"].dimensions.QueueName == aws_sqs_queue.dlq.name
      && aws_cloudwatch_metric_alarm.lambda["dlq-age"].dimensions.QueueName == aws_sqs_queue.dlq.name
      && aws_cloudwatch_metric_alarm.lambda["dlq-age"].threshold == 86400
      && aws_cloudwatch_metric_alarm.lambda["dlq-depth"].threshold == 0
    )
    error_message = "the DLQ alarms watch the dead-letter queue: any message, or one older than a day"
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.lambda["batch-failures"].namespace == "docpipe"
      && aws_cloudwatch_metric_alarm.lambda["batch-failures"].metric_name == "docpipe_batch_failures_total"
      && aws_cloudwatch_metric_alarm.lambda["batch-failures"].dimensions.FunctionName == "docpipe"
    )
    error_message = "the failed-batch alarm reads the EMF metric under the dimension the function writes"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.duration[0].threshold == 240000 && aws_cloudwatch_metric_alarm.duration[0].extended_statistic == "p99"
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

run "an_existing_topic_is_used_and_none_is_created" {
  command = apply

  variables {
    alarm_topic_arn = "arn:aws:sns:eu-central-1:123456789012:platform-oncall"
  }

  assert {
    condition = length(aws_sns_topic.alarms) == 0 && alltrue([for a in values(aws_cloudwatch_metric_alarm.lambda) :
    a.alarm_actions == toset(["arn:aws:sns:eu-central-1:123456789012:platform-oncall"])])
    error_message = "alarms notify the given topic, and the module creates none"
  }
}

run "alarms_can_be_left_out" {
  command = apply

  variables {
    alarms_enabled = false
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.lambda) == 0 && length(aws_cloudwatch_metric_alarm.duration) == 0 && length(aws_sns_topic.alarms) == 0
    error_message = "alarms_enabled = false creates no alarm and no topic"
  }
}

run "a_duration_ratio_outside_0_to_1_is_refused" {
  command = plan

  variables {
    duration_alarm_ratio = 1.2
  }

  expect_failures = [var.duration_alarm_ratio]
}
