# Alarms, their SNS topic and a dashboard (issue 20, docs/operations.md, ADR 0023): ALB 5xx and
# unhealthy targets, ECS CPU and memory. The service's own metrics (docpipe_documents_total, ...)
# are Prometheus at /metrics on the task (scraped inside the VPC, e.g. by an ADOT collector).

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
  create_topic  = var.alarms_enabled && var.alarm_topic_arn == null
  alarm_topic   = var.alarms_enabled ? coalesce(var.alarm_topic_arn, try(aws_sns_topic.alarms[0].arn, "")) : ""
  alarm_actions = var.alarms_enabled ? [local.alarm_topic] : []
  cluster_name  = element(split("/", var.cluster_arn), 1)

  # The ALB's metrics need its ARN suffix (alb_arn_suffix); without it only ECS is watched.
  alb_dimensions = tomap({
    LoadBalancer = coalesce(var.alb_arn_suffix, "none")
    TargetGroup  = aws_lb_target_group.service.arn_suffix
  })
  ecs_dimensions = tomap({ ClusterName = local.cluster_name, ServiceName = var.name })

  # Keys from variables only: alb_arn_suffix is often known only after apply (a new ALB).
  ecs_alarms = { for k, v in local.all_alarms : k => v if var.alb_alarms || !v.alb }
  all_alarms = {
    cpu = {
      description = "Average CPU of the service's tasks above ${var.alarm_utilization_percent}% for 15 minutes (auto scaling at its maximum?)."
      alb         = false
      namespace   = "AWS/ECS"
      metric      = "CPUUtilization"
      dimensions  = local.ecs_dimensions
      statistic   = "Average"
      threshold   = var.alarm_utilization_percent
      period      = 300
      periods     = 3
    }
    memory = {
      description = "Average memory of the service's tasks above ${var.alarm_utilization_percent}% for 15 minutes."
      alb         = false
      namespace   = "AWS/ECS"
      metric      = "MemoryUtilization"
      dimensions  = local.ecs_dimensions
      statistic   = "Average"
      threshold   = var.alarm_utilization_percent
      period      = 300
      periods     = 3
    }
    target-5xx = {
      description = "The service answered 5xx (errors, 503 overloaded or shutting down) in 3 of the last 5 minutes."
      alb         = true
      namespace   = "AWS/ApplicationELB"
      metric      = "HTTPCode_Target_5XX_Count"
      dimensions  = local.alb_dimensions
      statistic   = "Sum"
      threshold   = 5
      period      = 60
      periods     = 3
    }
    unhealthy-hosts = {
      description = "Targets failed /health/ready for 3 minutes (Qdrant unreachable? a task still warming up?)."
      alb         = true
      namespace   = "AWS/ApplicationELB"
      metric      = "UnHealthyHostCount"
      dimensions  = local.alb_dimensions
      statistic   = "Maximum"
      threshold   = 0
      period      = 60
      periods     = 3
    }
  }
}

resource "aws_sns_topic" "alarms" {
  count             = local.create_topic ? 1 : 0
  name              = "${var.name}-alarms"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "alarm_emails" {
  for_each  = local.create_topic ? toset(var.alarm_emails) : toset([])
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "service" {
  for_each            = var.alarms_enabled ? local.ecs_alarms : {}
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.description} See docs/operations.md."
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  lifecycle {
    precondition {
      condition     = !each.value.alb || var.alb_arn_suffix != null
      error_message = "The ALB alarms need alb_arn_suffix (or set alb_alarms = false)."
    }
  }
}

resource "aws_cloudwatch_dashboard" "service" {
  dashboard_name = var.name
  # Widgets of different shapes: encoded one by one, so that the optional ALB pair can be left out.
  dashboard_body = "{\"widgets\":[${join(",", concat(
    [
      jsonencode({
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "ECS: CPU and memory (%)"
          region = data.aws_region.current.name
          stat   = "Average"
          period = 60
          metrics = [
            ["AWS/ECS", "CPUUtilization", "ClusterName", local.cluster_name, "ServiceName", var.name],
            ["AWS/ECS", "MemoryUtilization", "ClusterName", local.cluster_name, "ServiceName", var.name],
          ]
          annotations = { horizontal = [{ label = "alarm", value = var.alarm_utilization_percent }] }
        }
      }),
      jsonencode({
        type = "log", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "Warnings and errors, with their trace"
          region = data.aws_region.current.name
          query  = "SOURCE '${aws_cloudwatch_log_group.service.name}' | fields time, level, message, traceId, requestId | filter level in ['WARNING', 'SEVERE'] | sort time desc | limit 50"
        }
      }),
    ],
    var.alb_arn_suffix == null ? [] : [
      jsonencode({
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "ALB: requests, target 5xx, p99 response time (s)"
          region = data.aws_region.current.name
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", aws_lb_target_group.service.arn_suffix, { stat = "Sum" }],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", aws_lb_target_group.service.arn_suffix, { stat = "Sum" }],
            ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", aws_lb_target_group.service.arn_suffix, { stat = "p99", yAxis = "right" }],
          ]
        }
      }),
      jsonencode({
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "ALB: healthy and unhealthy targets"
          region = data.aws_region.current.name
          stat   = "Maximum"
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", aws_lb_target_group.service.arn_suffix],
            ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", aws_lb_target_group.service.arn_suffix],
          ]
        }
      }),
    ],
    )
  )}]}"
}

output "alarm_topic_arn" {
  description = "The SNS topic the alarms notify (null when alarms_enabled = false)."
  value       = var.alarms_enabled ? local.alarm_topic : null
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of the service."
  value       = aws_cloudwatch_dashboard.service.dashboard_name
}
