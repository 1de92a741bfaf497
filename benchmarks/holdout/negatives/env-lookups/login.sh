#!/bin/bash
read -r -s -p "Vault password: " VAULT_PASSWORD
export VAULT_TOKEN="$(vault login -token-only -method=userpass username="$USER" password="$VAULT_PASSWORD")"
aws configure set aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"
echo "$REGISTRY_PASSWORD" | docker login -u "$REGISTRY_USER" --password-stdin registry.acme-shop.io
gh auth login --with-token < "$HOME/.config/acme/gh-token"
