#!/bin/sh
# One-off provisioning for the data team sandbox.
export SUPABASE_ACCESS_TOKEN=sbp_06c95e373b91fc4d89a77834b9c9e4a3ed98b5d5
export PLANETSCALE_SERVICE_TOKEN=pscale_tkn_zqZ7yLhYqp9Nz_olt5Y3HiV3lQNY1wOqP7kjwIykxlE
export DIGITALOCEAN_ACCESS_TOKEN=doo_v1_2cb699eb430f4e6d7ce3bccf15b944478d8afa97f7de0a11ce974926063bb670
export SHOPIFY_CUSTOM_APP_TOKEN=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
export DATABRICKS_TOKEN=dapi0c66339ef5a125e48eafc97fcb823472
export GOOGLE_CLIENT_SECRET=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
export OPENAI_API_KEY=${OPENAI_API_KEY:-}
supabase link --project-ref tiqhidtrnkxiukqirkpl
pscale connect shop main --port 3309 &
psql "postgresql://postgres.wmvfjeoodboqrcnbnqwb:mbk0TSL2wFHdWeMY4vpy@aws-0-eu-central-1.pooler.supabase.com:6543/postgres" -c '\dt'
doctl auth init --access-token "$DIGITALOCEAN_ACCESS_TOKEN"
