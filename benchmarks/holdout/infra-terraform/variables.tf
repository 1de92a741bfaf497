variable "datadog_api_key" {
  type      = string
  sensitive = true
}

variable "db_master_password" {
  description = "Master password for the RDS cluster. Set via TF_VAR_db_master_password."
  type        = string
  sensitive   = true
  default     = null
}

variable "github_token" {
  type      = string
  sensitive = true
  default   = ""
}

variable "api_key_header" {
  type    = string
  default = "X-Api-Key"
}

variable "token_ttl" {
  type    = number
  default = 3600
}
