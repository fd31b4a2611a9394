# The module on its own, with the mocked AWS provider of ../../testing/aws (run by
# adapters/fargate's TerraformStacksTest); the stacks' tests check what each of them watches.

mock_provider "aws" {
  source = "../../testing/aws"
}

variables {
  name   = "docpipe"
  emails = ["oncall@example.com"]
  alarms = {
    errors = {
      description = "Invocations failed."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = "docpipe" }
      statistic   = "Sum"
    }
    slow = {
      description        = "p99 duration above a second."
      namespace          = "AWS/Lambda"
      metric             = "Duration"
      dimensions         = { FunctionName = "docpipe" }
      extended_statistic = "p99"
      threshold          = 1000
      period             = 60
      periods            = 3
    }
  }
}

run "without_a_topic_one_is_created_the_emails_subscribe_and_every_alarm_notifies_it" {
  command = apply

  assert {
    condition = (
      length(aws_sns_topic.alarms) == 1 && aws_sns_topic.alarms[0].name == "docpipe-alarms"
      && keys(aws_sns_topic_subscription.alarm_emails) == ["oncall@example.com"]
      && output.topic_arn == aws_sns_topic.alarms[0].arn
    )
    error_message = "without topic_arn the module creates <name>-alarms and subscribes the e-mails"
  }

  assert {
    condition = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) :
    a.alarm_actions == toset([aws_sns_topic.alarms[0].arn]) && a.ok_actions == toset([aws_sns_topic.alarms[0].arn])])
    error_message = "every alarm notifies the topic, on alarm and on recovery"
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["errors"].alarm_name == "docpipe-errors"
      && aws_cloudwatch_metric_alarm.this["errors"].alarm_description == "Invocations failed. See docs/operations.md."
      && aws_cloudwatch_metric_alarm.this["errors"].period == 300
      && aws_cloudwatch_metric_alarm.this["errors"].threshold == 0
      && aws_cloudwatch_metric_alarm.this["errors"].evaluation_periods == 1
      && aws_cloudwatch_metric_alarm.this["errors"].comparison_operator == "GreaterThanThreshold"
      && aws_cloudwatch_metric_alarm.this["errors"].treat_missing_data == "notBreaching"
    )
    error_message = "an alarm says only what it watches: five-minute periods, threshold 0, one period, missing data is fine"
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["slow"].extended_statistic == "p99"
      && aws_cloudwatch_metric_alarm.this["slow"].statistic == null
      && aws_cloudwatch_metric_alarm.this["slow"].period == 60
      && aws_cloudwatch_metric_alarm.this["slow"].evaluation_periods == 3
      && aws_cloudwatch_metric_alarm.this["slow"].datapoints_to_alarm == 3
    )
    error_message = "a percentile alarm with its own period fires after that many periods in a row"
  }
}

run "an_existing_topic_is_used_and_none_is_created" {
  command = apply

  variables {
    topic_arn = "arn:aws:sns:eu-central-1:123456789012:platform-oncall"
  }

  assert {
    condition = length(aws_sns_topic.alarms) == 0 && length(aws_sns_topic_subscription.alarm_emails) == 0 && alltrue([for a in values(aws_cloudwatch_metric_alarm.this) :
    a.alarm_actions == toset(["arn:aws:sns:eu-central-1:123456789012:platform-oncall"])])
    error_message = "alarms notify the given topic; the module creates none and subscribes nobody"
  }
}

run "disabled_creates_nothing" {
  command = apply

  variables {
    enabled = false
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 0 && length(aws_sns_topic.alarms) == 0 && output.topic_arn == null
    error_message = "enabled = false creates no alarm and no topic"
  }
}

run "an_alarm_with_both_statistics_is_refused" {
  command = plan

  variables {
    alarms = {
      both = {
        description        = "Ambiguous."
        namespace          = "AWS/Lambda"
        metric             = "Duration"
        dimensions         = { FunctionName = "docpipe" }
        statistic          = "Average"
        extended_statistic = "p99"
      }
    }
  }

  expect_failures = [var.alarms]
}
