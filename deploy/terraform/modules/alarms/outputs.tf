output "topic_arn" {
  description = "The SNS topic the alarms notify (null when enabled = false)."
  value       = local.topic_arn
}

output "alarms" {
  description = "The aws_cloudwatch_metric_alarm objects by key (empty when enabled = false)."
  value       = aws_cloudwatch_metric_alarm.this
}
