# What the mocked AWS provider answers in every terraform test of deploy/terraform (the stacks,
# the example and modules/alarms): one account (123456789012) in eu-central-1, with the computed
# attributes the configurations and their assertions read. A test file names this directory:
#   mock_provider "aws" { source = "<path from the tested module to here>" }

mock_data "aws_region" {
  defaults = { name = "eu-central-1" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_data "aws_vpc" {
  defaults = { id = "vpc-0123456789abcdef0", cidr_block = "172.31.0.0/16" }
}

mock_data "aws_subnets" {
  defaults = { ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-central-1:123456789012:docpipe-alarms" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-central-1:123456789012:log-group:docpipe" }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-central-1:123456789012:docpipe"
    id  = "https://sqs.eu-central-1.amazonaws.com/123456789012/docpipe"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn     = "arn:aws:lambda:eu-central-1:123456789012:function:docpipe"
    version = "7"
  }
}

mock_resource "aws_lambda_alias" {
  defaults = { arn = "arn:aws:lambda:eu-central-1:123456789012:function:docpipe:live" }
}

mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:eu-central-1:123456789012:cluster/docpipe" }
}

mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:eu-central-1:123456789012:task-definition/docpipe:1" }
}

mock_resource "aws_lb" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/docpipe/0123456789abcdef"
    arn_suffix = "app/docpipe/0123456789abcdef"
    dns_name   = "docpipe-123.eu-central-1.elb.amazonaws.com"
  }
}

mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:listener/app/docpipe/0123456789abcdef/0123456789abcdef" }
}

mock_resource "aws_lb_target_group" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/docpipe/0123456789abcdef"
    arn_suffix = "targetgroup/docpipe/0123456789abcdef"
  }
}
