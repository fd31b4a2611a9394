locals {
  port = 8080
}

data "aws_region" "current" {}

resource "aws_cloudwatch_log_group" "service" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
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

# Pulls the image, writes logs, reads the token parameter at task start.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "read_tokens" {
  statement {
    actions   = ["ssm:GetParameters"]
    resources = [var.api_tokens_ssm_parameter_arn]
  }
}

resource "aws_iam_role_policy" "read_tokens" {
  name   = "read-api-tokens"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.read_tokens.json
}

# The service itself needs no AWS API today (the embedded model and index are local).
resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
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

  volume {
    name = "tmp"
  }

  # Same container as deploy/ecs/task-definition.json (checked by TaskDefinitionTest).
  container_definitions = jsonencode([{
    name                   = "docpipe"
    image                  = var.image
    essential              = true
    user                   = "65532:65532"
    readonlyRootFilesystem = true
    portMappings           = [{ containerPort = local.port, protocol = "tcp", appProtocol = "http", name = "http" }]
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    environment = [
      { name = "DOCPIPE_HTTP_PORT", value = tostring(local.port) },
      { name = "DOCPIPE_INDEX_DIR", value = "/tmp/docpipe" },
      { name = "DOCPIPE_HTTP_DRAIN_BUDGET", value = "${var.drain_budget_seconds}s" },
      { name = "DOCPIPE_ONNX_THREADS", value = tostring(max(1, floor(var.cpu / 1024))) },
    ]
    secrets = [{ name = "DOCPIPE_API_TOKENS", valueFrom = var.api_tokens_ssm_parameter_arn }]
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
  }])

  lifecycle {
    precondition {
      condition     = var.drain_budget_seconds + 3 <= var.stop_timeout_seconds
      error_message = "drain_budget_seconds must end at least 3 s before stop_timeout_seconds."
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
}

resource "aws_lb_listener_rule" "service" {
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
    assign_public_ip = false
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

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  name               = "${var.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.alb_arn_suffix}/${aws_lb_target_group.service.arn_suffix}"
    }
  }
}
