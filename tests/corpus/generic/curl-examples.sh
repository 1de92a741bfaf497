#!/usr/bin/env bash
# reproduce the partner bug (ticket OPS-86083)
curl -s https://api.partner-billing.io/v1/invoices \
  -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzN2Q5NGE4Ni1iMTJiLTQ5YmUtYTIyOS03ZTcwNjk4Y2UyOTEiLCJpc3MiOiJodHRwczovL2F1dGguYWNtZS5pbyIsInJvbGUiOiJzZXJ2aWNlIiwiaWF0IjoxNzE3NzgzODExfQ.T4RSGeJj6639prseZkcXVtsRZkyIivuJm-gvW-bFPKc"

curl -s -u svc-reports:BDRZlmlp7o1i+xJoJg2v https://reports.acme.internal/api/export?format=csv

curl -s https://api.partner-billing.io/v1/customers \
  -H "Authorization: Basic c3ZjLXZxeGVjOllOM09qSTNURmpoaS1yMHkwb0ND"

curl -s -H "X-API-Key: 2rif7LSXpTITIq40Wwpi9iTWU0i6uiP2op64YTRO" https://geo.partner.io/v3/lookup?ip=8.8.8.8
wget --user=deploy --password='Quartz!5937harbor' https://files.acme.internal/release.tar.gz
