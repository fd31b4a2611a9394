# Alarms and a dashboard (issue 20, docs/operations.md, ADR 0023): ALB 5xx and unhealthy targets,
# ECS CPU and memory; the alarms and their SNS topic come from ../modules/alarms. The service's own
# metrics (docpipe_documents_total, ...) are Prometheus at /metrics on the task (scraped inside the
# VPC, e.g. by an ADOT collector).

locals {
  cluster_name = element(split("/", var.cluster_arn), 1)

  # The ALB's metrics need its ARN suffix (alb_arn_suffix, a precondition on the target group);
  # without it only ECS is watched.
  alb_dimensions = {
    LoadBalancer = coalesce(var.alb_arn_suffix, "none")
    TargetGroup  = aws_lb_target_group.service.arn_suffix
  }
  ecs_dimensions = { ClusterName = local.cluster_name, ServiceName = var.name }

  ecs_alarms = {
    cpu = {
      description = "Average CPU of the service's tasks above ${var.alarm_utilization_percent}% for 15 minutes (auto scaling at its maximum?)."
      namespace   = "AWS/ECS"
      metric      = "CPUUtilization"
      dimensions  = local.ecs_dimensions
      statistic   = "Average"
      threshold   = var.alarm_utilization_percent
      periods     = 3
    }
    memory = {
      description = "Average memory of the service's tasks above ${var.alarm_utilization_percent}% for 15 minutes."
      namespace   = "AWS/ECS"
      metric      = "MemoryUtilization"
      dimensions  = local.ecs_dimensions
      statistic   = "Average"
      threshold   = var.alarm_utilization_percent
      periods     = 3
    }
  }
  # The same attributes in both, so that they make a map; left out by a variable, not by
  # alb_arn_suffix, which is often known only after apply (a new ALB).
  alb_alarms = {
    target-5xx = {
      description = "The service answered 5xx (errors, 503 overloaded or shutting down) in 3 of the last 5 minutes."
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
