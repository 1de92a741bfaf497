#!/bin/sh
# Used by the nightly job; token has policy "ci-read"
export VAULT_ADDR=https://vault.acme.internal:8200
export VAULT_TOKEN=hvs.CAESISx3rp3TMyJ8_S3YhfwsyfxVSFjD3EAHkyVDocYFU_J8dOJSjZWramcMoKZYbmyxK1yGu6NZHGQmAhWVez1u_81nEV_
export VAULT_NAMESPACE=admin/ci

vault kv get -format=json secret/ci/registry | jq -r .data.data.password > /run/registry-password
BATCH=hvb.AAAAAQZQ24RvqZ08KCkbRr_WjAH3yHF15CQ95ZEMheg9dt_gRODoB9u7ptWrSvPQ-zhOgOnXn0E0rEGp-wXmV40C3wd6NRp-YEbgrsrux0PUxM18zR6kB22rFCR2u9p7cW2s86cp
vault token lookup "$BATCH" >/dev/null && echo "batch token ok"
echo "role id: d270ca05-3894-4718-a789-fe00caf57b1c"
