# The alarms, their topic and the dashboard (observability.tf) with a mocked AWS provider, as
# tests/ecs.tftest.hcl; run by the same build step (TerraformStacksTest).

mock_provider "aws" {
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-central-1:123456789012:docpipe-alarms" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-central-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-central-1:123456789012:task-definition/docpipe:1" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/docpipe/0123456789abcdef"
      arn_suffix = "targetgroup/docpipe/0123456789abcdef"
    }
  }
}

variables {
  image                        = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-fargate@sha256:0000000000000000000000000000000000000000000000000000000000000000"
  cluster_arn                  = "arn:aws:ecs:eu-central-1:123456789012:cluster/docpipe"
  vpc_id                       = "vpc-0123456789abcdef0"
  subnet_ids                   = ["subnet-0123456789abcdef0"]
  alb_security_group_id        = "sg-0123456789abcdef0"
  api_tokens_ssm_parameter_arn = "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/api-tokens"
  alb_listener_arn             = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:listener/app/alb/0123456789abcdef/0123456789abcdef"
  alb_arn_suffix               = "app/alb/0123456789abcdef"
}

run "alarms_watch_alb_5xx_unhealthy_targets_cpu_and_memory_and_notify_one_topic" {
  command = apply

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.service)) == toset(["cpu", "memory", "target-5xx", "unhealthy-hosts"])
    error_message = "one alarm each for CPU, memory, target 5xx and unhealthy targets"
  }

  assert {
    condition = alltrue([for a in values(aws_cloudwatch_metric_alarm.service) :
    a.alarm_actions == toset([aws_sns_topic.alarms[0].arn]) && a.ok_actions == toset([aws_sns_topic.alarms[0].arn])])
    error_message = "every alarm notifies the module's topic, on alarm and on recovery"
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.service["target-5xx"].dimensions.LoadBalancer == "app/alb/0123456789abcdef"
      && aws_cloudwatch_metric_alarm.service["unhealthy-hosts"].dimensions.TargetGroup == "targetgroup/docpipe/0123456789abcdef"
      && aws_cloudwatch_metric_alarm.service["cpu"].dimensions.ClusterName == "docpipe"
      && aws_cloudwatch_metric_alarm.service["cpu"].dimensions.ServiceName == "docpipe"
      && aws_cloudwatch_metric_alarm.service["memory"].threshold == 85
    )
    error_message = "the alarms watch this service's target group, cluster and service"
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.service.dashboard_body).widgets) == 4
    error_message = "the dashboard shows ECS, logs, ALB traffic and target health"
  }
}

run "without_the_alb_alarms_only_ecs_is_watched" {
  command = apply

  variables {
    alb_arn_suffix    = null
    scale_on_requests = false
    alb_alarms        = false
    alarm_topic_arn   = "arn:aws:sns:eu-central-1:123456789012:platform-oncall"
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.service)) == toset(["cpu", "memory"]) && length(aws_sns_topic.alarms) == 0
    error_message = "no ALB alarms with alb_alarms = false; an existing topic means no new one"
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.service.dashboard_body).widgets) == 2
    error_message = "the dashboard leaves out the ALB widgets with alb_alarms = false"
  }
}

run "alarms_can_be_left_out" {
  command = apply

  variables {
    alarms_enabled = false
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.service) == 0 && length(aws_sns_topic.alarms) == 0
    error_message = "alarms_enabled = false creates no alarm and no topic"
  }
}

run "alb_alarms_without_the_alb_suffix_are_refused" {
  command = plan

  variables {
    alb_arn_suffix    = null
    scale_on_requests = false
  }

  expect_failures = [aws_cloudwatch_metric_alarm.service]
}
