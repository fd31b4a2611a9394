variable "name" {
  description = "Name of the service, its task family, target group and log group."
  type        = string
  default     = "docpipe"
}

variable "image" {
  description = "The docpipe-fargate image by digest: <registry>/<repository>@sha256:<64 hex> (build/release-images.sh prints it). Tags are refused: a digest pins exactly what runs and what a rollback returns to."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be referenced by digest (<registry>/<repository>@sha256:<64 hex>), not by tag."
  }
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

variable "assign_public_ip" {
  description = "Give the tasks public addresses: only for public subnets without a NAT gateway (they must reach the registry, SSM and S3)."
  type        = bool
  default     = false
}

variable "create_listener_rule" {
  description = "Create a rule on alb_listener_arn forwarding /v1/* and /openapi to the tasks; false = attach outputs.target_group_arn to a listener yourself. (A flag, not a null check, so the count is known at plan time when the listener is created in the same apply.)"
  type        = bool
  default     = true
}

variable "scale_on_requests" {
  description = "Add the ALB request-count scaling policy (needs alb_arn_suffix); false = scale on CPU only."
  type        = bool
  default     = true
}

variable "alb_listener_arn" {
  description = "HTTPS listener of an existing ALB, for the rule (create_listener_rule)."
  type        = string
  default     = null
}

variable "alb_security_group_id" {
  description = "Security group of the ALB; only it may reach the tasks' port."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB, for the request-count scaling policy (scale_on_requests)."
  type        = string
  default     = null
}

variable "listener_rule_priority" {
  description = "Priority of the listener rule."
  type        = number
  default     = 100
}

variable "api_tokens_ssm_parameter_arn" {
  description = "SSM SecureString parameter (or Secrets Manager secret) holding DOCPIPE_API_TOKENS (comma-separated, `token` or `token:read`). Only its ARN reaches the task definition (DOCPIPE_SECRETS_FROM); the service reads the value with the task role at start and after a rotation."
  type        = string
  validation {
    condition     = can(regex("^arn:[a-z-]+:(ssm|secretsmanager):", var.api_tokens_ssm_parameter_arn))
    error_message = "api_tokens_ssm_parameter_arn must be an SSM parameter or Secrets Manager ARN."
  }
}

variable "environment" {
  description = "Further DOCPIPE_* settings (docs/configuration.md) for the container, e.g. { DOCPIPE_VECTOR_STORE = \"qdrant\", DOCPIPE_QDRANT_HOST = \"...\" }. No secrets here: use secrets."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^DOCPIPE_[A-Z0-9_]+$", k))])
    error_message = "environment keys must be DOCPIPE_* variables."
  }
}

variable "secrets" {
  description = "Secret settings, variable name => ARN of an SSM parameter or a Secrets Manager secret (optionally with :json-key:: suffix), e.g. { DOCPIPE_QDRANT_API_KEY = \"arn:aws:secretsmanager:...:secret:qdrant-AbCdEf\" }. Only the ARNs reach the task definition (DOCPIPE_SECRETS_FROM); the service reads the values with the task role at start, every DOCPIPE_SECRETS_REFRESH (default 15m) and at once when a key is refused, so a rotation needs no new deployment. The values never reach the task definition or the Terraform state."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.secrets : can(regex("^DOCPIPE_[A-Z0-9_]+$", k)) && can(regex("^arn:[a-z-]+:(ssm|secretsmanager):", v))])
    error_message = "secrets: DOCPIPE_* names mapped to SSM parameter or Secrets Manager ARNs."
  }
}

variable "secrets_kms_key_arns" {
  description = "Customer-managed KMS keys the secrets are encrypted with (the task role may decrypt with them); empty = AWS-managed keys."
  type        = list(string)
  default     = []
}

variable "corpus_s3_prefixes" {
  description = "S3 locations the service may read documents from, as bucket/prefix (\"my-docs/\" = the whole bucket, \"my-docs/reports/\" = one prefix). The task role gets s3:GetObject under each and s3:ListBucket on its bucket (so a missing object answers 404, not 403)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for p in var.corpus_s3_prefixes : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/", p))])
    error_message = "corpus_s3_prefixes: each entry is <bucket>/<prefix> (prefix may be empty), without s3://."
  }
}

variable "ecr_repository_name" {
  description = "Create an ECR repository of this name (immutable tags, scan on push) for the images; null = bring your own registry."
  type        = string
  default     = null
}

variable "doc_builder_image" {
  description = "The doc-builder image (Apache Tika Server, ADR 0024) by digest; set, the task gets it as a second essential container and docpipe extracts PDF, Office and HTML there (DOCPIPE_EXTRACTION=tika). null = in-process extraction, one container."
  type        = string
  default     = null
  validation {
    condition     = var.doc_builder_image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$", var.doc_builder_image))
    error_message = "doc_builder_image must be referenced by digest (<registry>/<repository>@sha256:<64 hex>), not by tag."
  }
}

variable "otel_collector_image" {
  description = "The AWS Distro for OpenTelemetry collector image by digest (e.g. public.ecr.aws/aws-observability/aws-otel-collector@sha256:...); set, the task gets it as a non-essential otel-collector container with its default ECS config, docpipe exports its spans there (OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318) and the task role may write to X-Ray. null = no collector, no export."
  type        = string
  default     = null
  validation {
    condition     = var.otel_collector_image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$", var.otel_collector_image))
    error_message = "otel_collector_image must be referenced by digest (<registry>/<repository>@sha256:<64 hex>), not by tag."
  }
}

variable "doc_builder_memory_reservation_mib" {
  description = "Memory reserved for the doc-builder inside the task (MiB): Tika's forked parser has a 512 MiB heap (tika-config.xml), plus its watchdog and both JVMs' native memory."
  type        = number
  default     = 1024
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
  description = "Tasks at creation; auto scaling moves it between min and max. More than one needs a shared vector store (DOCPIPE_VECTOR_STORE=qdrant in environment)."
  type        = number
  default     = 1
}

variable "min_capacity" {
  description = "Fewest tasks auto scaling keeps."
  type        = number
  default     = 1
}

variable "max_capacity" {
  description = "Most tasks auto scaling starts. More than one needs a shared vector store (DOCPIPE_VECTOR_STORE=qdrant)."
  type        = number
  default     = 1
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

variable "ephemeral_storage_gib" {
  description = "Task ephemeral storage (the /tmp volume: the embedded index and extraction scratch)."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention."
  type        = number
  default     = 30
}
