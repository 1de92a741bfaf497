variable "db_password" {
  description = "Master password for the RDS instance"
  type        = string
  sensitive   = true
}

variable "api_token" {
  type      = string
  sensitive = true
  default   = ""
}

resource "aws_db_instance" "main" {
  identifier = "main"
  username   = "admin"
  password   = var.db_password
  manage_master_user_password = null
}

data "aws_secretsmanager_secret_version" "stripe" {
  secret_id = "prod/stripe"
}

locals {
  stripe_key = jsondecode(data.aws_secretsmanager_secret_version.stripe.secret_string)["secret_key"]
}
