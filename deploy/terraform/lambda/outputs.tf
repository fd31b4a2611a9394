output "function_name" {
  description = "The Lambda function's name."
  value       = aws_lambda_function.this.function_name
}

output "function_alias_arn" {
  description = "ARN of the 'live' alias that event sources invoke."
  value       = aws_lambda_alias.live.arn
}

output "function_version" {
  description = "Version this apply published (note it: it is what live_version rolls back to)."
  value       = aws_lambda_function.this.version
}

output "live_version" {
  description = "Version the live alias points at."
  value       = aws_lambda_alias.live.function_version
}

output "role_arn" {
  description = "The function's execution role."
  value       = aws_iam_role.function.arn
}

output "queue_url" {
  description = "Send ingest/delete commands or S3 notifications here (see adapters/lambda/README.md)."
  value       = aws_sqs_queue.work.id
}

output "queue_arn" {
  description = "ARN of the work queue."
  value       = aws_sqs_queue.work.arn
}

output "dead_letter_queue_url" {
  description = "Messages that failed max_receive_count times (and S3 events that failed every retry) land here."
  value       = aws_sqs_queue.dlq.id
}

output "function_url" {
  description = "The Function URL (handler = http, function_url = true), else null. IAM-authenticated: sign requests with SigV4."
  value       = try(aws_lambda_function_url.http[0].function_url, null)
}

output "log_group" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.function.name
}
