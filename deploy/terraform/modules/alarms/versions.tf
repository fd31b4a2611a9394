# What the module itself needs: optional() attributes with defaults (Terraform 1.3), and nothing
# from the AWS provider that 5.0 lacks; the stacks pin tighter.
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
