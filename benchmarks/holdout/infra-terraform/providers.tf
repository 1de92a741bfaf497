terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket         = "acme-tfstate-prod"
    key            = "platform/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "tf-locks"
    encrypt        = true
  }
  required_providers {
    aws          = { source = "hashicorp/aws", version = "~> 5.40" }
    digitalocean = { source = "digitalocean/digitalocean", version = "~> 2.36" }
    cloudflare   = { source = "cloudflare/cloudflare", version = "~> 4.26" }
    datadog      = { source = "DataDog/datadog" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAVSOZF5SR2SROYKFQ"
  secret_key = "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"
}

provider "aws" {
  alias      = "dr"
  region     = "eu-central-1"
  access_key = var.dr_access_key
  secret_key = var.dr_secret_key
}

provider "digitalocean" {
  token = "dop_v1_2d733cc62e31d10bae2e6c3f5cd5b4272199f2dbfff4607004234881ddb6cc52"
}

provider "cloudflare" {
  api_token = "0RlDEirIvEjNOF0dDt1riBE_PPSVwAibdxyL1mut"
}

provider "datadog" {
  api_key = var.datadog_api_key
  app_key = var.datadog_app_key
}

provider "vault" {
  address = "https://vault.acme-shop.io:8200"
  token   = "hvs.CAESI4rCdjw8Ze828Mp02-6m4KTPQIXoMMgAXFt6mkdFSn0AsuxLKM5mLIBtUpoTtG6LXrEYjojEVJeyO_mUXjFCjkr"
}

provider "github" {
  owner = "acme-shop"
  token = data.aws_ssm_parameter.github_token.value
}
