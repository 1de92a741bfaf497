#!/usr/bin/env bash
# one-off ops commands collected from the incident channel
argocd login cd.acme.internal --username admin --auth-token kvovng9c3JyOIZN5Tjn1LLVw5ovgA4kX
helm upgrade --install shop ./chart --set postgresql.auth.password=MXjlWMYLulGd!lFmQEaB
kubectl -n shop create secret generic stripe --from-literal=STRIPE_WEBHOOK=Ee6eENOYWSB5e78BbVGDQUfmjz2PAsvhKO5HkNZ9
curl -s -H 'X-Auth-Token: O40SsUgwNpXW0DdXRd0DaqDbhbJAb4NyfvQ36fiL' https://cd.acme.internal/api/v1/apps
zip -r -P aM2b5ySzwgph+4G1bkVp evidence.zip /var/log/shop
openssl pkcs12 -export -in tls.crt -inkey tls.key -out tls.p12 -passout pass:UBTNDzx92adU_5fEsMDm
smbclient //nas01/backup -U backup%JOEjbR4ApJNr.3LV9W4w -c 'put db.dump'
curl "https://api.partner-geo.io/v1/lookup?ip=1.1.1.1&api_key=2SQTaeMdmpX7vF5HyitDs680"
sqlcmd -S sql01 -U sa -P zw01fZtdfJt7!drcyAFX -Q "BACKUP DATABASE shop TO DISK='x'"
# safe ones
kubectl -n shop create secret generic stripe --from-literal=STRIPE_WEBHOOK=$STRIPE_WEBHOOK
helm upgrade --install shop ./chart --set postgresql.auth.existingSecret=pg-creds
