resource "random_password" "master" {
  length           = 24
  special          = true
  override_special = "!#%*-_=+"
}

resource "aws_db_instance" "this" {
  identifier           = var.name
  engine               = "postgres"
  engine_version       = "16.2"
  instance_class       = var.instance_class
  username             = "postgres"
  password             = random_password.master.result
  skip_final_snapshot  = false
  storage_encrypted    = true
  kms_key_id           = var.kms_key_arn
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id     = aws_secretsmanager_secret.master.id
  secret_string = jsonencode({ username = "postgres", password = random_password.master.result })
}

output "connection_string" {
  value     = "postgres://postgres:${random_password.master.result}@${aws_db_instance.this.endpoint}/app"
  sensitive = true
}
