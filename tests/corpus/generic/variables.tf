variable "region" {
  default = "eu-west-1"
}

variable "datadog_api_key" {
  type      = string
  sensitive = true
  default   = "1b1ef2a4d4655df01fc04276597bbedb"
}

variable "db_password" {
  type    = string
  default = "bbUa5lxDF39h%GG2efdV"
}
