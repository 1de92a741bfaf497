#!/bin/sh
# Used by the nightly job; token has policy "ci-read"
export VAULT_ADDR=https://vault.acme.internal:8200
export VAULT_TOKEN=hvs.CAESIubs1bL2TxR3ADXZ4ztPh1Wa5C0ycy6TjyWD7nyJYkS8HxmjN5dcu1_XsO13w9VjN8Xr9thKqAXeWdQydRV50vxOR1D
export VAULT_NAMESPACE=admin/ci

vault kv get -format=json secret/ci/registry | jq -r .data.data.password > /run/registry-password
BATCH=hvb.AAAAAQR_yTK9M41NMlcHp5z5cpfUMwkisnWGSMj1XPkx2ryVfa7PP0lTdV-ArZFgzhHBKUuRRrcTK1oWe8KC3cBGqvy2_Zns_0UwNuOkW2615Sb0294DzUyMcNXXII3CwWOOXxre
vault token lookup "$BATCH" >/dev/null && echo "batch token ok"
echo "role id: cbedea85-da1f-42d9-99d0-36e246153183"
