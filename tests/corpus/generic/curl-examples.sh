#!/usr/bin/env bash
# reproduce the partner bug (ticket OPS-880618)
curl -s https://api.partner-billing.io/v1/invoices \
  -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1NWViYWNiYi0wYTRjLTQ3OGEtYmVjYS1hZDQwMTUxZGI0YzMiLCJpc3MiOiJodHRwczovL2F1dGguYWNtZS5pbyIsInJvbGUiOiJzZXJ2aWNlIiwiaWF0IjoxNzM2OTczODY2fQ.jw5iv8OIqsTzDWXLJM4uwMs4IxZn1RoYPc_k37cRUXw"

curl -s -u svc-reports:iu2U4JMWPZpL%AsJyyLM https://reports.acme.internal/api/export?format=csv

curl -s https://api.partner-billing.io/v1/customers \
  -H "Authorization: Basic c3ZjLWd1aHBuOkRPaXJBdXFIWEdyVy1WUVlzc0Q0"

curl -s -H "X-API-Key: 8FLoWkSv3igT2cYRAXvEXVqQ3D2nVIcOFFokIWfO" https://geo.partner.io/v3/lookup?ip=8.8.8.8
wget --user=deploy --password='Saturn!2422maple' https://files.acme.internal/release.tar.gz
