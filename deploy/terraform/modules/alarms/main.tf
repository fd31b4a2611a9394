# CloudWatch alarms and the SNS topic they notify, shared by the lambda and ecs-fargate stacks
# (docs/operations.md): each stack says what to watch, this module says how an alarm behaves.
# Every alarm fires when its metric is above the threshold for `periods` periods in a row,
# notifies the topic on alarm and on recovery, and treats missing data as fine (no traffic is
# no problem).

locals {
  create_topic = var.enabled && var.topic_arn == null
  topic_arn    = var.enabled ? coalesce(var.topic_arn, try(aws_sns_topic.alarms[0].arn, "")) : null
  actions      = var.enabled ? [local.topic_arn] : []
}

resource "aws_sns_topic" "alarms" {
  count             = local.create_topic ? 1 : 0
  name              = "${var.name}-alarms"
  kms_master_key_id = "alias/aws/sns"
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "alarm_emails" {
  for_each  = local.create_topic ? toset(var.emails) : toset([])
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = var.enabled ? var.alarms : {}
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.description} See docs/operations.md."
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}
