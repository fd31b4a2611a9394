# Alarms and a dashboard (issue 20, docs/operations.md, ADR 0023): ALB 5xx and unhealthy targets,
# ECS CPU and memory; the alarms and their SNS topic come from ../modules/alarms. The service's own
# metrics (docpipe_documents_total, ...) are Prometheus at /metrics on the task (scraped inside the
# VPC, e.g. by an ADOT collector).

variable "alarms_enabled" {
  description = "Create the CloudWatch alarms (and, without alarm_topic_arn, their SNS topic)."
  type        = bool
  default     = true
}

variable "alarm_topic_arn" {
  description = "An existing SNS topic for the alarms; null = the module creates \"<name>-alarms\"."
  type        = string
  default     = null
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the module's alarm topic (each confirms once)."
  type        = list(string)
  default     = []
}

variable "alb_alarms" {
  description = "Alarm on the ALB's target 5xx and unhealthy targets; needs alb_arn_suffix."
  type        = bool
  default     = true
}

variable "alarm_utilization_percent" {
  description = "Alarm when the service's average CPU or memory stays above this for 15 minutes."
  type        = number
  default     = 85
  validation {
    condition     = var.alarm_utilization_percent > 0 && var.alarm_utilization_percent <= 100
    error_message = "alarm_utilization_percent must lie in (0, 100]."
  }
}

locals {
  cluster_name = element(split("/", var.cluster_arn), 1)

  # The ALB's metrics need its ARN suffix (alb_arn_suffix, a precondition on the target group);
  # without it only ECS is watched.
  alb_dimensions = {
    LoadBalancer = coalesce(var.alb_arn_suffix, "none")
    TargetGroup  = aws_lb_target_group.service.arn_suffix
  }
  ecs_dimensions = { ClusterName = local.cluster_name, ServiceName = var.name }

  # CPU and memory: the service's average above alarm_utilization_percent for three five-minute
  # periods. ALB: its target group's per-minute figures, three minutes in a row; left out by a
  # variable, not by alb_arn_suffix, which is often known only after apply (a new ALB).
  utilization_alarm = { namespace = "AWS/ECS", dimensions = local.ecs_dimensions, statistic = "Average", threshold = var.alarm_utilization_percent, periods = 3 }
  alb_alarm         = { namespace = "AWS/ApplicationELB", dimensions = local.alb_dimensions, period = 60, periods = 3 }
  ecs_alarms = {
    cpu    = merge(local.utilization_alarm, { metric = "CPUUtilization", description = "Average CPU of the service's tasks above ${var.alarm_utilization_percent}% for 15 minutes (auto scaling at its maximum?)." })
    memory = merge(local.utilization_alarm, { metric = "MemoryUtilization", description = "Average memory of the service's tasks above ${var.alarm_utilization_percent}% for 15 minutes." })
  }
  alb_alarms = {
    target-5xx      = merge(local.alb_alarm, { metric = "HTTPCode_Target_5XX_Count", statistic = "Sum", threshold = 5, description = "The service answered 5xx (errors, 503 overloaded or shutting down) in 3 of the last 5 minutes." })
    unhealthy-hosts = merge(local.alb_alarm, { metric = "UnHealthyHostCount", statistic = "Maximum", threshold = 0, description = "Targets failed /health/ready for 3 minutes (Qdrant unreachable? a task still warming up?)." })
  }
}

module "alarms" {
  source    = "../modules/alarms"
  name      = var.name
  enabled   = var.alarms_enabled
  topic_arn = var.alarm_topic_arn
  emails    = var.alarm_emails
  alarms    = merge(local.ecs_alarms, var.alb_alarms ? tomap(local.alb_alarms) : {})
}

# The alarms and the topic lived in this module before ../modules/alarms: existing ones move.
moved {
  from = aws_sns_topic.alarms
  to   = module.alarms.aws_sns_topic.alarms
}

moved {
  from = aws_sns_topic_subscription.alarm_emails
  to   = module.alarms.aws_sns_topic_subscription.alarm_emails
}

moved {
  from = aws_cloudwatch_metric_alarm.service
  to   = module.alarms.aws_cloudwatch_metric_alarm.this
}

# The dashboard's widgets in reading order (the ALB pair only with alb_arn_suffix); laid out two a
# row, each half the width, all in this stack's region.
locals {
  alb_metric = ["LoadBalancer", var.alb_arn_suffix, "TargetGroup", aws_lb_target_group.service.arn_suffix]
  alb_widgets = [
    { type = "metric", properties = {
      title = "ALB: requests, target 5xx, p99 response time (s)", period = 60
      metrics = [
        concat(["AWS/ApplicationELB", "RequestCount"], local.alb_metric, [{ stat = "Sum" }]),
        concat(["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"], local.alb_metric, [{ stat = "Sum" }]),
        concat(["AWS/ApplicationELB", "TargetResponseTime"], local.alb_metric, [{ stat = "p99", yAxis = "right" }]),
      ]
    } },
    { type = "metric", properties = {
      title = "ALB: healthy and unhealthy targets", stat = "Maximum", period = 60
      metrics = [
        concat(["AWS/ApplicationELB", "HealthyHostCount"], local.alb_metric),
        concat(["AWS/ApplicationELB", "UnHealthyHostCount"], local.alb_metric),
      ]
    } },
  ]
  dashboard_widgets = concat([
    { type = "metric", properties = {
      title = "ECS: CPU and memory (%)", stat = "Average", period = 60
      metrics = [
        ["AWS/ECS", "CPUUtilization", "ClusterName", local.cluster_name, "ServiceName", var.name],
        ["AWS/ECS", "MemoryUtilization", "ClusterName", local.cluster_name, "ServiceName", var.name],
      ]
      annotations = { horizontal = [{ label = "alarm", value = var.alarm_utilization_percent }] }
    } },
    { type = "log", properties = {
      title = "Warnings and errors, with their trace"
      query = "SOURCE '${aws_cloudwatch_log_group.service.name}' | fields time, level, message, traceId, requestId | filter level in ['WARNING', 'SEVERE'] | sort time desc | limit 50"
    } },
  ], [for w in local.alb_widgets : w if var.alb_arn_suffix != null])
}

resource "aws_cloudwatch_dashboard" "service" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = [for i, w in local.dashboard_widgets : {
    type       = w.type, x = i % 2 * 12, y = floor(i / 2) * 6, width = 12, height = 6
    properties = merge({ region = data.aws_region.current.name }, w.properties)
  }] })
}

output "alarm_topic_arn" {
  description = "The SNS topic the alarms notify (null when alarms_enabled = false)."
  value       = module.alarms.topic_arn
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of the service."
  value       = aws_cloudwatch_dashboard.service.dashboard_name
}
