# Inputs of the docpipe Lambda stack. See README.md beside this file.

variable "name" {
  description = "Name prefix of every resource (function, queues, role, log group)."
  type        = string
  default     = "docpipe"
  validation {
    condition     = can(regex("^[a-zA-Z0-9-_]{1,40}$", var.name))
    error_message = "name: 1-40 letters, digits, '-' or '_'."
  }
}

variable "image_uri" {
  description = "The docpipe-lambda image in ECR, by digest: <account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<64 hex>. Tags are refused: a digest pins exactly what runs."
  type        = string
  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$", var.image_uri))
    error_message = "image_uri must be an ECR image referenced by digest (...@sha256:<64 hex>)."
  }
}

variable "handler" {
  description = "Which handler the function runs (the image's CMD is overridden with it): sqs, s3 or http."
  type        = string
  default     = "sqs"
  validation {
    condition     = contains(["sqs", "s3", "http"], var.handler)
    error_message = "handler must be one of sqs, s3, http."
  }
}

variable "memory_mb" {
  description = "Function memory in MB; CPU scales with it (1769 MB = one full vCPU). The in-process model wants at least 1024."
  type        = number
  default     = 1769
  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be 128-10240."
  }
}

variable "timeout_seconds" {
  description = "Function timeout. docpipe stops taking new documents 10 s before it; the SQS visibility timeout is set to 6x this."
  type        = number
  default     = 300
  validation {
    condition     = var.timeout_seconds >= 30 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be 30-900 (the 10 s stop margin needs room)."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; null = unreserved (new accounts have too little unreserved concurrency to set any). To cap how hard an SQS-fed docpipe hits the vector store and the embeddings API, prefer sqs_maximum_concurrency."
  type        = number
  default     = null
}

variable "sqs_maximum_concurrency" {
  description = "handler = \"sqs\": most concurrent invocations the event source mapping starts (2-1000); null = no cap."
  type        = number
  default     = null
  validation {
    condition     = var.sqs_maximum_concurrency == null || (coalesce(var.sqs_maximum_concurrency, 2) >= 2 && coalesce(var.sqs_maximum_concurrency, 2) <= 1000)
    error_message = "sqs_maximum_concurrency must be 2-1000 or null."
  }
}

variable "live_version" {
  description = "Version the live alias points at; null = the version this apply published. Rollback: set the previous version number (outputs.function_version before the change, or `aws lambda list-versions-by-function`) and apply."
  type        = string
  default     = null
}

variable "allow_ephemeral_index" {
  description = "Run with the embedded index under /tmp although each execution environment keeps its own and loses it when recycled (demos, tests). Sets DOCPIPE_ALLOW_EPHEMERAL_INDEX=true; without it the function refuses to start unless DOCPIPE_VECTOR_STORE = \"qdrant\"."
  type        = bool
  default     = false
}

variable "ephemeral_storage_mb" {
  description = "/tmp size in MB (the runtime client's native library and, with the embedded index, the index itself)."
  type        = number
  default     = 1024
}

variable "source_bucket_name" {
  description = "S3 bucket whose object events feed docpipe; empty = no S3 notifications (feed the queue yourself)."
  type        = string
  default     = ""
}

variable "source_prefix" {
  description = "Only objects under this key prefix are indexed (e.g. \"docs/\")."
  type        = string
  default     = ""
}

variable "sqs_batch_size" {
  description = "Messages per invocation; failed ones come back alone (ReportBatchItemFailures)."
  type        = number
  default     = 10
}

variable "sqs_batch_window_seconds" {
  description = "How long the event source mapping waits to fill a batch."
  type        = number
  default     = 5
}

variable "max_receive_count" {
  description = "Deliveries before a message moves to the dead-letter queue. Permanent failures (malformed message, empty document) come back too and land there after this many tries."
  type        = number
  default     = 3
}

variable "fifo" {
  description = "Use FIFO queues (per-group order; docpipe then returns the first failure and everything after it)."
  type        = bool
  default     = false
}

variable "snap_start" {
  description = "Publish a version with SnapStart. AWS supports SnapStart for zip-packaged Java functions only, not container images: set zip_package too (the same docpipe-lambda jar with its dependencies). With an image this must stay false."
  type        = bool
  default     = false
}

variable "zip_package" {
  description = "Deploy the zip package instead of the image: { s3_bucket, s3_key } of a zip with the docpipe-lambda jar and its runtime dependencies under lib/ (the java21 managed runtime supplies the runtime client). Needed for SnapStart."
  type = object({
    s3_bucket = string
    s3_key    = string
  })
  default = null
}

variable "environment" {
  description = "Plain DOCPIPE_* settings (docs/configuration.md), e.g. { DOCPIPE_EMBEDDING = \"openai\", DOCPIPE_OPENAI_MODEL = \"text-embedding-3-small\" }. No secrets here: use secret_ssm_parameters."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^DOCPIPE_[A-Z0-9_]+$", k))])
    error_message = "environment keys must be DOCPIPE_* variables."
  }
}

variable "secret_ssm_parameters" {
  description = "Secret settings from SSM Parameter Store (SecureString), variable name => parameter name, e.g. { DOCPIPE_OPENAI_API_KEY = \"/docpipe/openai-api-key\" }. Only the references reach the function (DOCPIPE_SECRETS_FROM); it reads the values at start and re-reads them every DOCPIPE_SECRETS_REFRESH. The role may read exactly these parameters."
  type        = map(string)
  default     = {}
}

variable "secret_secrets_manager" {
  description = "Secret settings from Secrets Manager, variable name => secret ARN (the secret's SecretString is the value). Read at run time like secret_ssm_parameters."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for arn in values(var.secret_secrets_manager) : can(regex("^arn:[a-z-]+:secretsmanager:", arn))])
    error_message = "secret_secrets_manager: values must be secret ARNs (the role is granted exactly these)."
  }
}

variable "secrets_kms_key_arns" {
  description = "Customer-managed KMS keys the secrets are encrypted with (the role may decrypt with them); empty = AWS-managed keys."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the function's environment variables; null = AWS-managed key."
  type        = string
  default     = null
}

variable "logs_kms_key_arn" {
  description = "Customer-managed KMS key for the log group; null = CloudWatch Logs' own encryption. A key of its own: its policy must admit the logs.<region>.amazonaws.com principal, which the environment key should not."
  type        = string
  default     = null
}

variable "vpc" {
  description = "Subnets and security groups when the vector store (Qdrant) lives in a VPC; null = no VPC."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
}

variable "log_retention_days" {
  description = "CloudWatch log retention."
  type        = number
  default     = 30
}

variable "function_url" {
  description = "With handler = \"http\": create a Function URL (IAM-authenticated)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
