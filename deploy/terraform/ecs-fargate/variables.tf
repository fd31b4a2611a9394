variable "name" {
  description = "Name of the service, its task family, target group and log group."
  type        = string
  default     = "docpipe"
}

variable "image" {
  description = "The docpipe-fargate image (built by `./mvnw package`, pushed to ECR)."
  type        = string
}

variable "cluster_arn" {
  description = "ECS cluster to run the service in."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks and the target group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the tasks (awsvpc)."
  type        = list(string)
}

variable "alb_listener_arn" {
  description = "HTTPS listener of an existing ALB; a rule forwards /v1/* and /openapi here."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the ALB; only it may reach the tasks' port."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB (for the request-count scaling metric)."
  type        = string
}

variable "listener_rule_priority" {
  description = "Priority of the listener rule."
  type        = number
  default     = 100
}

variable "api_tokens_ssm_parameter_arn" {
  description = "SSM SecureString parameter holding DOCPIPE_API_TOKENS (comma-separated, `token` or `token:read`)."
  type        = string
}

variable "cpu" {
  description = "Task CPU units (2048 = 2 vCPU)."
  type        = number
  default     = 2048
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 4096
}

variable "desired_count" {
  description = "Tasks at creation; auto scaling moves it between min and max."
  type        = number
  default     = 2
}

variable "min_capacity" {
  description = "Fewest tasks auto scaling keeps."
  type        = number
  default     = 2
}

variable "max_capacity" {
  description = "Most tasks auto scaling starts."
  type        = number
  default     = 10
}

variable "cpu_target_percent" {
  description = "Average CPU the CPU policy keeps the service at."
  type        = number
  default     = 60
}

variable "requests_per_target" {
  description = "ALB requests per task per minute the request-count policy aims for (measure: docs/benchmarks.md)."
  type        = number
  default     = 3000
}

variable "drain_budget_seconds" {
  description = "DOCPIPE_HTTP_DRAIN_BUDGET; must stay below stop_timeout_seconds."
  type        = number
  default     = 25
}

variable "stop_timeout_seconds" {
  description = "ECS stopTimeout: SIGKILL this long after SIGTERM."
  type        = number
  default     = 30
}

variable "deregistration_delay_seconds" {
  description = "ALB deregistration delay: short, since the service drains itself on SIGTERM."
  type        = number
  default     = 15
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention."
  type        = number
  default     = 30
}
