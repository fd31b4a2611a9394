locals {
  port      = 8080
  partition = data.aws_partition.current.partition

  # Every secret the service reads, by name: the API tokens and the caller's own. Only the ARNs
  # reach the task definition (DOCPIPE_SECRETS_FROM); the service reads the values itself with the
  # task role, at start and again after a rotation (ADR 0025).
  secrets = merge(var.secrets, { DOCPIPE_API_TOKENS = var.api_tokens_ssm_parameter_arn })
  # A Secrets Manager valueFrom may end in :json-key:version-stage:version-id; IAM wants the secret.
  secret_arns = distinct([for arn in values(local.secrets) : join(":", slice(split(":", arn), 0, startswith(split(":", arn)[2], "secretsmanager") ? 7 : 6))])
  ssm_arns    = [for arn in local.secret_arns : arn if split(":", arn)[2] == "ssm"]
  sm_arns     = [for arn in local.secret_arns : arn if split(":", arn)[2] == "secretsmanager"]

  corpus = [for p in var.corpus_s3_prefixes : {
    bucket = split("/", p)[0]
    prefix = join("/", slice(split("/", p), 1, length(split("/", p))))
  }]

  # The doc-builder sidecar (ADR 0024): a Tika Server beside docpipe, when its image is given.
  doc_builder      = var.doc_builder_image != null
  doc_builder_port = 9998

  # The ADOT collector sidecar (ADR 0023): docpipe's spans go to it over OTLP/HTTP on loopback.
  otel_collector = var.otel_collector_image != null

  # Sorted by name (Terraform iterates maps in key order), as in deploy/ecs/task-definition.json.
  environment = merge(var.environment, {
    DOCPIPE_HTTP_PORT         = tostring(local.port)
    DOCPIPE_INDEX_DIR         = "/tmp/docpipe"
    DOCPIPE_HTTP_DRAIN_BUDGET = "${var.drain_budget_seconds}s"
    DOCPIPE_ONNX_THREADS      = tostring(max(1, floor(var.cpu / 1024)))
    DOCPIPE_SECRETS_FROM      = join(",", [for k, v in local.secrets : "${k}=${v}"])
    }, { for k, v in {
      DOCPIPE_EXTRACTION = "tika"
      DOCPIPE_TIKA_URL   = "http://127.0.0.1:${local.doc_builder_port}"
      } : k => v if local.doc_builder }, { for k, v in {
      OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
      OTEL_SERVICE_NAME           = var.name
  } : k => v if local.otel_collector })

  # Each task with the embedded Lucene index keeps its own: more than one task splits the data.
  shared_store = lower(lookup(var.environment, "DOCPIPE_VECTOR_STORE", "lucene")) == "qdrant"

  # Same container as deploy/ecs/task-definition.json (tests/ecs.tftest.hcl renders both).
  container = {
    name                   = "docpipe"
    image                  = var.image
    essential              = true
    user                   = "65532:65532"
    readonlyRootFilesystem = true
    linuxParameters        = { capabilities = { drop = ["ALL"] } }
    portMappings           = [{ containerPort = local.port, protocol = "tcp", appProtocol = "http", name = "http" }]
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    environment            = [for k, v in local.environment : { name = k, value = v }]
    healthCheck = {
      command     = ["CMD", "/opt/java/bin/java", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", "@/app/jib-classpath-file", "io.docpipe.fargate.HealthProbe", "http://127.0.0.1:${local.port}/health/live"]
      interval    = 30
      timeout     = 10
      retries     = 3
      startPeriod = 120
    }
    stopTimeout = var.stop_timeout_seconds
    ulimits     = [{ name = "nofile", softLimit = 20000, hardLimit = 20000 }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.service.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = var.name
        "mode"                  = "non-blocking"
        "max-buffer-size"       = "4m"
      }
    }
  }

  # The doc-builder: Apache Tika Server with adapters/tika's tika-config.xml (forked parser with
  # its own heap and time limit). Essential: docpipe is told to extract there, so a task without
  # it cannot work; a bad document restarts Tika's parser inside the container, not the container.
  doc_builder_container = {
    name                   = "doc-builder"
    image                  = var.doc_builder_image
    essential              = true
    user                   = "65532:65532"
    readonlyRootFilesystem = true
    memoryReservation      = var.doc_builder_memory_reservation_mib
    linuxParameters        = { capabilities = { drop = ["ALL"] } }
    mountPoints            = [{ sourceVolume = "doc-builder-tmp", containerPath = "/tmp", readOnly = false }]
    healthCheck = {
      command     = ["CMD", "/opt/java/bin/java", "-XX:TieredStopAtLevel=1", "-Xmx16m", "-cp", "@/app/jib-classpath-file", "io.docpipe.tika.SidecarHealthProbe", "http://127.0.0.1:${local.doc_builder_port}/tika"]
      interval    = 15
      timeout     = 10
      retries     = 3
      startPeriod = 60
    }
    stopTimeout = 10
    ulimits     = [{ name = "nofile", softLimit = 20000, hardLimit = 20000 }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.service.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "${var.name}-doc-builder"
        "mode"                  = "non-blocking"
        "max-buffer-size"       = "4m"
      }
    }
  }

  # The ADOT collector with the config its image ships for ECS (OTLP in; X-Ray and EMF out).
  # Not essential: without it spans are dropped (bounded queue, ADR 0023) and docpipe serves on.
  otel_collector_container = {
    name              = "otel-collector"
    image             = var.otel_collector_image
    essential         = false
    command           = ["--config=/etc/ecs/ecs-default-config.yaml"]
    memoryReservation = 128
    linuxParameters   = { capabilities = { drop = ["ALL"] } }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.service.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "${var.name}-otel-collector"
        "mode"                  = "non-blocking"
        "max-buffer-size"       = "4m"
      }
    }
  }

  # docpipe starts once the doc-builder answers, so its first documents are not retried, and
  # after the collector has started, so its first spans have somewhere to go.
  depends_on = concat(
    local.doc_builder ? [{ containerName = "doc-builder", condition = "HEALTHY" }] : [],
    local.otel_collector ? [{ containerName = "otel-collector", condition = "START" }] : [],
  )
  container_definitions = jsonencode(concat(
    # jsonencode/jsondecode: an object with and one without dependsOn are different types.
    [merge(local.container, jsondecode(length(local.depends_on) > 0 ? jsonencode({ dependsOn = local.depends_on }) : "{}"))],
    local.doc_builder ? [local.doc_builder_container] : [],
    local.otel_collector ? [local.otel_collector_container] : [],
  ))
}

data "aws_partition" "current" {}
data "aws_region" "current" {}

resource "aws_cloudwatch_log_group" "service" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_ecr_repository" "images" {
  count                = var.ecr_repository_name == null ? 0 : 1
  name                 = var.ecr_repository_name
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
  }
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Pulls the image and writes logs; the secrets are the task role's to read (below).
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "read_secrets" {
  dynamic "statement" {
    for_each = length(local.ssm_arns) > 0 ? [1] : []
    content {
      sid       = "SsmParameters"
      actions   = ["ssm:GetParameter", "ssm:GetParameters"]
      resources = local.ssm_arns
    }
  }
  dynamic "statement" {
    for_each = length(local.sm_arns) > 0 ? [1] : []
    content {
      sid       = "SecretsManagerSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [for arn in local.sm_arns : "${arn}*"]
    }
  }
  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptSecrets"
      actions   = ["kms:Decrypt"]
      resources = var.secrets_kms_key_arns
    }
  }
}

# The service reads its secrets itself, at start and after a rotation: the task role may read
# exactly the parameters and secrets named in DOCPIPE_SECRETS_FROM (ADR 0025).
resource "aws_iam_role_policy" "read_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.read_secrets.json
}

# What the service itself calls: its secrets (above) and s3:// documents under the corpus prefixes.
resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  count = length(local.corpus) > 0 ? 1 : 0
  statement {
    sid       = "ReadCorpusObjects"
    actions   = ["s3:GetObject"]
    resources = [for c in local.corpus : "arn:${local.partition}:s3:::${c.bucket}/${c.prefix}*"]
  }
  # Without ListBucket S3 answers 403 for a missing key, which docpipe must treat as retriable.
  dynamic "statement" {
    for_each = local.corpus
    content {
      actions   = ["s3:ListBucket"]
      resources = ["arn:${local.partition}:s3:::${statement.value.bucket}"]
      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["${statement.value.prefix}*"]
      }
    }
  }
}

resource "aws_iam_role_policy" "task" {
  count  = length(local.corpus) > 0 ? 1 : 0
  name   = "read-corpus"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task[0].json
}

# What the ADOT collector's default ECS config sends: traces to X-Ray, metrics to CloudWatch.
data "aws_iam_policy_document" "otel_collector" {
  count = local.otel_collector ? 1 : 0
  statement {
    sid       = "ExportTelemetry"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"]
    resources = ["*"] # none of the three takes a resource ARN
  }
}

resource "aws_iam_role_policy" "otel_collector" {
  count  = local.otel_collector ? 1 : 0
  name   = "export-telemetry"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.otel_collector[0].json
}

resource "aws_ecs_task_definition" "service" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    cpu_architecture        = "X86_64"
    operating_system_family = "LINUX"
  }

  ephemeral_storage {
    size_in_gib = var.ephemeral_storage_gib
  }

  volume {
    name = "tmp"
  }

  dynamic "volume" {
    for_each = local.doc_builder ? ["doc-builder-tmp"] : []
    content {
      name = volume.value
    }
  }

  container_definitions = local.container_definitions

  lifecycle {
    precondition {
      condition     = var.drain_budget_seconds + 3 <= var.stop_timeout_seconds
      error_message = "drain_budget_seconds must end at least 3 s before stop_timeout_seconds."
    }
    precondition {
      condition     = !local.doc_builder || var.doc_builder_memory_reservation_mib + 1024 <= var.memory
      error_message = "doc_builder_memory_reservation_mib must leave docpipe at least 1 GiB of the task's memory."
    }
  }
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = "docpipe tasks: HTTP from the ALB only"
  vpc_id      = var.vpc_id

  ingress {
    from_port       = local.port
    to_port         = local.port
    protocol        = "tcp"
    security_groups = [var.alb_security_group_id]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb_target_group" "service" {
  name                 = var.name
  port                 = local.port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay_seconds

  health_check {
    path                = "/health/ready"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  # What attaches to the ALB through this target group (listener rule, request-count scaling,
  # ALB alarms) needs the ALB's identifiers: checked here, where all of them meet.
  lifecycle {
    precondition {
      condition     = !var.create_listener_rule || var.alb_listener_arn != null
      error_message = "create_listener_rule needs alb_listener_arn (or set create_listener_rule = false)."
    }
    precondition {
      condition     = !var.scale_on_requests || var.alb_arn_suffix != null
      error_message = "scale_on_requests needs alb_arn_suffix (or set scale_on_requests = false)."
    }
    precondition {
      condition     = !(var.alarms_enabled && var.alb_alarms) || var.alb_arn_suffix != null
      error_message = "The ALB alarms need alb_arn_suffix (or set alb_alarms = false)."
    }
  }
}

resource "aws_lb_listener_rule" "service" {
  count        = var.create_listener_rule ? 1 : 0
  listener_arn = var.alb_listener_arn
  priority     = var.listener_rule_priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service.arn
  }

  # /metrics and /health stay inside the VPC: scraped and probed on the task's own address.
  condition {
    path_pattern {
      values = ["/v1/*", "/openapi"]
    }
  }
}

resource "aws_ecs_service" "service" {
  name                              = var.name
  cluster                           = var.cluster_arn
  task_definition                   = aws_ecs_task_definition.service.arn
  desired_count                     = var.desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 120

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.service.arn
    container_name   = "docpipe"
    container_port   = local.port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # Auto scaling owns the count after creation.
  lifecycle {
    ignore_changes = [desired_count]
    precondition {
      condition     = local.shared_store || (var.desired_count <= 1 && var.min_capacity <= 1 && var.max_capacity <= 1)
      error_message = "More than one task with the embedded index splits the data (each task indexes into its own /tmp): set environment DOCPIPE_VECTOR_STORE = \"qdrant\" with the DOCPIPE_QDRANT_* settings, or keep desired_count, min_capacity and max_capacity at 1."
    }
    precondition {
      condition     = var.min_capacity <= var.desired_count && var.desired_count <= var.max_capacity
      error_message = "desired_count must lie between min_capacity and max_capacity."
    }
  }

  depends_on = [aws_lb_listener_rule.service]
}

resource "aws_appautoscaling_target" "service" {
  service_namespace  = "ecs"
  resource_id        = "service/${element(split("/", var.cluster_arn), 1)}/${aws_ecs_service.service.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
}

# Target tracking on average CPU, and on ALB requests per task when scale_on_requests.
locals {
  scaling_policies = { for k, p in {
    cpu = {
      enabled        = true
      metric         = "ECSServiceAverageCPUUtilization"
      target         = var.cpu_target_percent
      resource_label = null
    }
    requests = {
      enabled        = var.scale_on_requests
      metric         = "ALBRequestCountPerTarget"
      target         = var.requests_per_target
      resource_label = var.scale_on_requests ? "${var.alb_arn_suffix}/${aws_lb_target_group.service.arn_suffix}" : null
    }
  } : k => p if p.enabled }
}

resource "aws_appautoscaling_policy" "target_tracking" {
  for_each           = local.scaling_policies
  name               = "${var.name}-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = each.value.metric
      resource_label         = each.value.resource_label
    }
  }
}

moved {
  from = aws_appautoscaling_policy.cpu
  to   = aws_appautoscaling_policy.target_tracking["cpu"]
}

moved {
  from = aws_appautoscaling_policy.requests[0]
  to   = aws_appautoscaling_policy.target_tracking["requests"]
}
