output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.service.name
}

output "task_definition_arn" {
  description = "ARN of the task definition revision in use."
  value       = aws_ecs_task_definition.service.arn
}

output "target_group_arn" {
  description = "ALB target group the tasks register in (health check /health/ready)."
  value       = aws_lb_target_group.service.arn
}

output "tasks_security_group_id" {
  description = "Security group of the tasks (the ALB's group may reach port 8080)."
  value       = aws_security_group.tasks.id
}

output "log_group_name" {
  description = "CloudWatch log group of the JSON logs."
  value       = aws_cloudwatch_log_group.service.name
}

output "container_definition" {
  description = "The container definition as ECS receives it (deploy/ecs/task-definition.json holds the same for the default inputs)."
  value       = local.container
}

output "ecr_repository_url" {
  description = "URL of the ECR repository (ecr_repository_name set), else null: push with build/release-images.sh <this URL's registry>."
  value       = try(aws_ecr_repository.images[0].repository_url, null)
}
