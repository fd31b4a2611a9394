# terraform test with the mocked AWS provider of ../testing/aws: no account, no network. Run by
# adapters/fargate's TerraformStacksTest in the build, or by hand:
#   terraform init -backend=false -plugin-dir=<mirror holding hashicorp/aws> && terraform test
# The topic and the alarms' common behaviour are tested with modules/alarms; here, what this
# stack watches.

mock_provider "aws" {
  source = "../testing/aws"
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

# deploy/ecs/task-definition.json is exactly what the module renders for the default inputs.
run "task_definition_json_is_what_terraform_renders" {
  command = apply

  variables {
    create_listener_rule = false
    scale_on_requests    = false
    doc_builder_image    = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-doc-builder@sha256:1111111111111111111111111111111111111111111111111111111111111111"
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.service.container_definitions) == jsondecode(replace(replace(file("../../ecs/task-definition.json"), "ACCOUNT_ID", "123456789012"), "REGION", "eu-central-1")).containerDefinitions
    error_message = "deploy/ecs/task-definition.json and the module's container definition differ: ${jsonencode(jsondecode(aws_ecs_task_definition.service.container_definitions))}"
  }

  assert {
    condition = (
      tostring(aws_ecs_task_definition.service.cpu) == jsondecode(file("../../ecs/task-definition.json")).cpu
      && tostring(aws_ecs_task_definition.service.memory) == jsondecode(file("../../ecs/task-definition.json")).memory
      && aws_ecs_task_definition.service.family == jsondecode(file("../../ecs/task-definition.json")).family
      && aws_ecs_task_definition.service.network_mode == jsondecode(file("../../ecs/task-definition.json")).networkMode
      && aws_ecs_task_definition.service.ephemeral_storage[0].size_in_gib == jsondecode(file("../../ecs/task-definition.json")).ephemeralStorage.sizeInGiB
    )
    error_message = "task-level fields (family, cpu, memory, network mode, ephemeral storage) differ from deploy/ecs/task-definition.json"
  }

  assert {
    condition     = length(aws_lb_listener_rule.service) == 0 && length(aws_ecr_repository.images) == 0 && !contains(keys(aws_appautoscaling_policy.target_tracking), "requests")
    error_message = "optional resources must not be created without their inputs"
  }

  assert {
    condition     = length(aws_iam_role_policy.task) == 0
    error_message = "no corpus prefixes: the task role gets no policy"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.execution.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    error_message = "the managed policy ARN must follow the partition"
  }
}

run "optional_resources_environment_secrets_and_corpus" {
  command = apply

  variables {
    ecr_repository_name = "docpipe-fargate"
    desired_count       = 2
    min_capacity        = 2
    max_capacity        = 10
    environment = {
      DOCPIPE_VECTOR_STORE = "qdrant"
      DOCPIPE_QDRANT_HOST  = "qdrant.internal"
    }
    secrets = {
      DOCPIPE_QDRANT_API_KEY = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf:api-key::"
      DOCPIPE_OPENAI_API_KEY = "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai"
    }
    secrets_kms_key_arns = ["arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555"]
    corpus_s3_prefixes   = ["my-docs/reports/", "other-bucket/"]
  }

  assert {
    condition     = length(aws_lb_listener_rule.service) == 1 && length(aws_ecr_repository.images) == 1 && contains(keys(aws_appautoscaling_policy.target_tracking), "requests")
    error_message = "listener rule, ECR repository and request-count policy are created when their inputs are set"
  }

  assert {
    condition     = aws_ecr_repository.images[0].image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.images[0].image_scanning_configuration[0].scan_on_push
    error_message = "the ECR repository keeps tags immutable and scans on push"
  }

  assert {
    condition     = contains(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment, { name = "DOCPIPE_VECTOR_STORE", value = "qdrant" })
    error_message = "environment input must reach the container"
  }

  assert {
    condition = (
      contains(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment, { name = "DOCPIPE_SECRETS_FROM", value = "DOCPIPE_API_TOKENS=arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/api-tokens,DOCPIPE_OPENAI_API_KEY=arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai,DOCPIPE_QDRANT_API_KEY=arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf:api-key::" })
      && !contains(keys(jsondecode(aws_ecs_task_definition.service.container_definitions)[0]), "secrets")
    )
    error_message = "secrets reach the container as ARNs in DOCPIPE_SECRETS_FROM, never as values (and not as ECS secrets, which only a new task would read again)"
  }

  assert {
    condition = (
      data.aws_iam_policy_document.read_secrets.statement[0].resources == toset(["arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai", "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/api-tokens"])
      && data.aws_iam_policy_document.read_secrets.statement[1].resources == toset(["arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf*"])
      && data.aws_iam_policy_document.read_secrets.statement[2].actions == toset(["kms:Decrypt"])
    )
    error_message = "the task role reads exactly the secrets' parameters and secrets (without the JSON-key suffix), and decrypts with the given keys"
  }

  assert {
    condition = (
      data.aws_iam_policy_document.task[0].statement[0].resources == toset(["arn:aws:s3:::my-docs/reports/*", "arn:aws:s3:::other-bucket/*"])
      && data.aws_iam_policy_document.task[0].statement[1].actions == toset(["s3:ListBucket"])
      && data.aws_iam_policy_document.task[0].statement[1].resources == toset(["arn:aws:s3:::my-docs"])
      && data.aws_iam_policy_document.task[0].statement[2].resources == toset(["arn:aws:s3:::other-bucket"])
      && length(aws_iam_role_policy.task) == 1
    )
    error_message = "the task role reads objects under each corpus prefix and lists each bucket"
  }
}

run "alarms_watch_alb_5xx_unhealthy_targets_cpu_and_memory_and_notify_one_topic" {
  command = apply

  assert {
    condition     = toset(keys(module.alarms.alarms)) == toset(["cpu", "memory", "target-5xx", "unhealthy-hosts"])
    error_message = "one alarm each for CPU, memory, target 5xx and unhealthy targets"
  }

  assert {
    condition = output.alarm_topic_arn == "arn:aws:sns:eu-central-1:123456789012:docpipe-alarms" && alltrue([for a in values(module.alarms.alarms) :
    a.alarm_actions == toset([output.alarm_topic_arn])])
    error_message = "every alarm notifies the topic the stack creates"
  }

  assert {
    condition = (
      module.alarms.alarms["target-5xx"].dimensions.LoadBalancer == "app/alb/0123456789abcdef"
      && module.alarms.alarms["unhealthy-hosts"].dimensions.TargetGroup == "targetgroup/docpipe/0123456789abcdef"
      && module.alarms.alarms["cpu"].dimensions.ClusterName == "docpipe"
      && module.alarms.alarms["cpu"].dimensions.ServiceName == "docpipe"
      && module.alarms.alarms["memory"].threshold == 85
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
    condition     = toset(keys(module.alarms.alarms)) == toset(["cpu", "memory"]) && output.alarm_topic_arn == "arn:aws:sns:eu-central-1:123456789012:platform-oncall"
    error_message = "no ALB alarms with alb_alarms = false; the alarms notify the given topic"
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.service.dashboard_body).widgets) == 2
    error_message = "the dashboard leaves out the ALB widgets with alb_alarms = false"
  }
}

# Without alarms the ALB alarms need no alb_arn_suffix either.
run "alarms_can_be_left_out" {
  command = apply

  variables {
    alarms_enabled    = false
    alb_arn_suffix    = null
    scale_on_requests = false
  }

  assert {
    condition     = length(module.alarms.alarms) == 0 && output.alarm_topic_arn == null
    error_message = "alarms_enabled = false creates no alarm (modules/alarms' tests: and no topic)"
  }
}

run "alb_alarms_without_the_alb_suffix_are_refused" {
  command = plan

  variables {
    alb_arn_suffix    = null
    scale_on_requests = false
  }

  expect_failures = [aws_lb_target_group.service]
}

run "listener_rule_without_a_listener_is_refused" {
  command = plan
  variables {
    alb_listener_arn = null
  }
  expect_failures = [aws_lb_target_group.service]
}

run "request_scaling_without_the_alb_suffix_is_refused" {
  command = plan
  variables {
    alb_arn_suffix = null
    alb_alarms     = false
  }
  expect_failures = [aws_lb_target_group.service]
}

run "several_tasks_without_a_shared_store_are_refused" {
  command = plan
  variables {
    desired_count = 2
    min_capacity  = 2
    max_capacity  = 4
  }
  expect_failures = [aws_ecs_service.service]
}

run "autoscaling_beyond_one_task_without_a_shared_store_is_refused" {
  command = plan
  variables {
    max_capacity = 4
  }
  expect_failures = [aws_ecs_service.service]
}

run "desired_count_outside_the_scaling_range_is_refused" {
  command = plan
  variables {
    environment   = { DOCPIPE_VECTOR_STORE = "qdrant" }
    desired_count = 5
    max_capacity  = 4
  }
  expect_failures = [aws_ecs_service.service]
}

run "drain_budget_beyond_the_stop_timeout_is_refused" {
  command = plan
  variables {
    drain_budget_seconds = 29
  }
  expect_failures = [aws_ecs_task_definition.service]
}

# Without a doc-builder image: one container, in-process extraction (ADR 0024).
run "without_a_doc_builder_image_extraction_stays_in_process" {
  command = plan

  variables {
    create_listener_rule = false
    scale_on_requests    = false
  }

  assert {
    condition     = length(jsondecode(aws_ecs_task_definition.service.container_definitions)) == 1 && !strcontains(aws_ecs_task_definition.service.container_definitions, "DOCPIPE_EXTRACTION")
    error_message = "no doc_builder_image: one container, no DOCPIPE_EXTRACTION"
  }
}

# With the ADOT collector (ADR 0023): a non-essential sidecar, docpipe exports to it on loopback,
# and only then may the task role write to X-Ray and CloudWatch.
run "otel_collector_image_adds_a_non_essential_collector_and_points_docpipe_at_it" {
  command = plan

  variables {
    create_listener_rule = false
    scale_on_requests    = false
    otel_collector_image = "public.ecr.aws/aws-observability/aws-otel-collector@sha256:2222222222222222222222222222222222222222222222222222222222222222"
  }

  assert {
    condition     = [for c in jsondecode(aws_ecs_task_definition.service.container_definitions) : c.name] == ["docpipe", "otel-collector"]
    error_message = "otel_collector_image: docpipe and the otel-collector container"
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.service.container_definitions)[1].essential == false
      && jsondecode(aws_ecs_task_definition.service.container_definitions)[1].memoryReservation == 128
      && jsondecode(aws_ecs_task_definition.service.container_definitions)[1].command == ["--config=/etc/ecs/ecs-default-config.yaml"]
    )
    error_message = "the collector is not essential, reserves 128 MiB and runs the image's ECS config"
  }

  assert {
    condition = (
      contains(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment, { name = "OTEL_EXPORTER_OTLP_ENDPOINT", value = "http://127.0.0.1:4318" })
      && contains(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment, { name = "OTEL_SERVICE_NAME", value = "docpipe" })
      && jsondecode(aws_ecs_task_definition.service.container_definitions)[0].dependsOn == [{ containerName = "otel-collector", condition = "START" }]
    )
    error_message = "docpipe exports to the collector on loopback, under the service's name, once it has started"
  }

  assert {
    condition = (
      length(aws_iam_role_policy.otel_collector) == 1
      && toset(data.aws_iam_policy_document.otel_collector[0].statement[0].actions) == toset(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"])
    )
    error_message = "with the collector the task role may put X-Ray segments and CloudWatch metrics"
  }
}

run "otel_collector_beside_a_doc_builder_waits_for_both" {
  command = plan

  variables {
    create_listener_rule = false
    scale_on_requests    = false
    doc_builder_image    = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-doc-builder@sha256:1111111111111111111111111111111111111111111111111111111111111111"
    otel_collector_image = "public.ecr.aws/aws-observability/aws-otel-collector@sha256:2222222222222222222222222222222222222222222222222222222222222222"
  }

  assert {
    condition = (
      [for c in jsondecode(aws_ecs_task_definition.service.container_definitions) : c.name] == ["docpipe", "doc-builder", "otel-collector"]
      && jsondecode(aws_ecs_task_definition.service.container_definitions)[0].dependsOn == [{ containerName = "doc-builder", condition = "HEALTHY" }, { containerName = "otel-collector", condition = "START" }]
    )
    error_message = "three containers; docpipe waits for a healthy doc-builder and a started collector"
  }
}

run "without_an_otel_collector_image_nothing_is_exported_and_no_telemetry_policy" {
  command = plan

  variables {
    create_listener_rule = false
    scale_on_requests    = false
  }

  assert {
    condition     = !strcontains(aws_ecs_task_definition.service.container_definitions, "OTEL_") && length(aws_iam_role_policy.otel_collector) == 0
    error_message = "no otel_collector_image: no OTEL_* variables and no telemetry policy on the task role"
  }
}

# Every malformed input is refused by its own validation: each listed variable must fail.
run "malformed_inputs_are_refused" {
  command = plan
  variables {
    image                = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-fargate:latest" # a tag
    secrets              = { DOCPIPE_QDRANT_API_KEY = "s3cr3t" }                                    # a value, not an ARN
    doc_builder_image    = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docpipe-doc-builder:latest"
    otel_collector_image = "public.ecr.aws/aws-observability/aws-otel-collector:latest"
  }
  expect_failures = [var.image, var.secrets, var.doc_builder_image, var.otel_collector_image]
}

# The service reads its keys itself (ADR 0025): the task role, not the execution role, may read
# exactly the named parameters and secrets, and decrypt only with keys that are given.
run "secrets_are_read_by_the_task_role_at_run_time" {
  command = apply

  variables {
    secrets = {
      DOCPIPE_OPENAI_API_KEY = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:openai-AbCdEf"
    }
  }

  assert {
    condition     = aws_iam_role_policy.read_secrets.role == aws_iam_role.task.id && aws_iam_role_policy.read_secrets.role != aws_iam_role.execution.id
    error_message = "the secrets policy must be the task role's: the service reads its keys itself"
  }

  assert {
    condition = (
      data.aws_iam_policy_document.read_secrets.statement[0].actions == toset(["ssm:GetParameter", "ssm:GetParameters"])
      && data.aws_iam_policy_document.read_secrets.statement[0].resources == toset(["arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/api-tokens"])
      && data.aws_iam_policy_document.read_secrets.statement[1].actions == toset(["secretsmanager:GetSecretValue"])
      && data.aws_iam_policy_document.read_secrets.statement[1].resources == toset(["arn:aws:secretsmanager:eu-central-1:123456789012:secret:openai-AbCdEf*"])
      && length(data.aws_iam_policy_document.read_secrets.statement) == 2
    )
    error_message = "read exactly the named parameter and secret; no kms:Decrypt without secrets_kms_key_arns"
  }

  assert {
    condition = (
      contains(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment, { name = "DOCPIPE_SECRETS_FROM", value = "DOCPIPE_API_TOKENS=arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/api-tokens,DOCPIPE_OPENAI_API_KEY=arn:aws:secretsmanager:eu-central-1:123456789012:secret:openai-AbCdEf" })
      && !contains(keys(jsondecode(aws_ecs_task_definition.service.container_definitions)[0]), "secrets")
    )
    error_message = "the container names its secrets by ARN in DOCPIPE_SECRETS_FROM and gets no ECS secrets"
  }
}
