#!/bin/sh
# Used by the nightly job; token has policy "ci-read"
export VAULT_ADDR=https://vault.acme.internal:8200
export VAULT_TOKEN=hvs.CAESIBJab5LwWW8qYwubs1bL2TxR3ADXZ4ztPh1Wa5C0ycy6TjyWD7nyJYkS8HxmjN5dcu1_XsO13w9VjN8Xr9thKqAXeWd
export VAULT_NAMESPACE=admin/ci

vault kv get -format=json secret/ci/registry | jq -r .data.data.password > /run/registry-password
BATCH=hvb.AAAAAQQydRV50vxOR1DR_yTK9M41NMlcHp5z5cpfUMwkisnWGSMj1XPkx2ryVfa7PP0lTdV-ArZFgzhHBKUuRRrcTK1oWe8KC3cBGqvy2_Zns_0UwNuOkW2615Sb0294DzUyMcNX
vault token lookup "$BATCH" >/dev/null && echo "batch token ok"
echo "role id: 522d0c53-35ca-4cbe-8ea8-5da1fa2d999d"
