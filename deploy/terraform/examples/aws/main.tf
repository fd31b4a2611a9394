# A whole docpipe on AWS from an empty account (deploy/README.md walks through it): a corpus
# bucket feeding the Lambda indexer over SQS, and the search API on ECS Fargate behind an ALB,
# both on one Qdrant collection. Networking is the account's default VPC, to keep this short;
# use private subnets with a NAT gateway or VPC endpoints for production.

terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 7.0"
    }
  }
}

variable "lambda_image_uri" {
  description = "docpipe-lambda by digest, as build/release-images.sh prints it (image_uri)."
  type        = string
}

variable "fargate_image" {
  description = "docpipe-fargate by digest, as build/release-images.sh prints it (image)."
  type        = string
}

variable "doc_builder_image" {
  description = "docpipe-doc-builder by digest, as build/release-images.sh prints it (doc_builder_image): the search service extracts through it (ADR 0024). null = in-process extraction."
  type        = string
  default     = null
}

variable "corpus_bucket_name" {
  description = "Name of the bucket to create for the documents (globally unique)."
  type        = string
}

variable "qdrant_host" {
  description = "Qdrant gRPC host, e.g. the Qdrant Cloud cluster's host name."
  type        = string
}

variable "qdrant_api_key_secret_arn" {
  description = "Secrets Manager secret holding the Qdrant API key."
  type        = string
}

variable "api_tokens_parameter_arn" {
  description = "SSM SecureString parameter holding DOCPIPE_API_TOKENS for the search API."
  type        = string
}

locals {
  pipeline = {
    DOCPIPE_VECTOR_STORE      = "qdrant"
    DOCPIPE_QDRANT_HOST       = var.qdrant_host
    DOCPIPE_QDRANT_TLS        = "true"
    DOCPIPE_QDRANT_COLLECTION = "docs-bge-small"
  }
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_s3_bucket" "corpus" {
  bucket = var.corpus_bucket_name
}

module "indexer" {
  source                 = "../../lambda"
  name                   = "docpipe-indexer"
  image_uri              = var.lambda_image_uri
  handler                = "sqs"
  source_bucket_name     = aws_s3_bucket.corpus.bucket
  source_prefix          = "docs/"
  environment            = local.pipeline
  secret_secrets_manager = { DOCPIPE_QDRANT_API_KEY = var.qdrant_api_key_secret_arn }
}

resource "aws_ecs_cluster" "docpipe" {
  name = "docpipe"
}

resource "aws_security_group" "alb" {
  name   = "docpipe-alb"
  vpc_id = data.aws_vpc.default.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [data.aws_vpc.default.cidr_block]
  }
}

resource "aws_lb" "docpipe" {
  name               = "docpipe"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = data.aws_subnets.default.ids
}

# HTTP to keep the walk-through short; put an HTTPS listener with your certificate here instead.
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.docpipe.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

module "search" {
  source                       = "../../ecs-fargate"
  name                         = "docpipe"
  image                        = var.fargate_image
  doc_builder_image            = var.doc_builder_image
  cluster_arn                  = aws_ecs_cluster.docpipe.arn
  vpc_id                       = data.aws_vpc.default.id
  subnet_ids                   = data.aws_subnets.default.ids
  assign_public_ip             = true # default VPC: no NAT, so the tasks pull the image over the internet
  alb_listener_arn             = aws_lb_listener.http.arn
  alb_security_group_id        = aws_security_group.alb.id
  alb_arn_suffix               = aws_lb.docpipe.arn_suffix
  api_tokens_ssm_parameter_arn = var.api_tokens_parameter_arn
  environment                  = local.pipeline
  secrets                      = { DOCPIPE_QDRANT_API_KEY = var.qdrant_api_key_secret_arn }
  corpus_s3_prefixes           = ["${aws_s3_bucket.corpus.bucket}/docs/"]
  desired_count                = 2
  min_capacity                 = 2
  max_capacity                 = 6
}

output "search_url" {
  description = "The search API: POST /v1/search with a token from the API tokens parameter."
  value       = "http://${aws_lb.docpipe.dns_name}/v1/search"
}

output "corpus_bucket" {
  description = "Upload documents under s3://<this>/docs/ to index them."
  value       = aws_s3_bucket.corpus.bucket
}

output "indexer_log_group" {
  description = "Where the indexer logs each document's outcome."
  value       = module.indexer.log_group
}

output "indexer_dead_letter_queue_url" {
  description = "Messages that failed every delivery."
  value       = module.indexer.dead_letter_queue_url
}

output "indexer_function_version" {
  description = "Version this apply published (what live_version rolls back to)."
  value       = module.indexer.function_version
}
