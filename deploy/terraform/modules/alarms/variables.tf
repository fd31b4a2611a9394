variable "name" {
  description = "Prefix of the alarm names (\"<name>-<key>\") and of the topic the module creates (\"<name>-alarms\")."
  type        = string
}

variable "enabled" {
  description = "Create the alarms (and, without topic_arn, their topic); false = nothing."
  type        = bool
  default     = true
}

variable "topic_arn" {
  description = "An existing SNS topic for the alarms; null = the module creates \"<name>-alarms\"."
  type        = string
  default     = null
}

variable "emails" {
  description = "E-mail addresses subscribed to the module's topic (each confirms once)."
  type        = list(string)
  default     = []
}

variable "alarms" {
  description = "What to watch, by key: a metric (namespace, name, dimensions), its statistic (or a percentile as extended_statistic), the threshold it must stay at or below, and for how many periods of `period` seconds it may exceed it."
  type = map(object({
    description        = string
    namespace          = string
    metric             = string
    dimensions         = map(string)
    statistic          = optional(string)
    extended_statistic = optional(string)
    threshold          = optional(number, 0)
    period             = optional(number, 300)
    periods            = optional(number, 1)
  }))
  validation {
    condition     = alltrue([for a in values(var.alarms) : (a.statistic == null) != (a.extended_statistic == null)])
    error_message = "alarms: each alarm sets exactly one of statistic and extended_statistic."
  }
}

variable "tags" {
  description = "Tags for the topic and the alarms; null = none."
  type        = map(string)
  default     = null
}
