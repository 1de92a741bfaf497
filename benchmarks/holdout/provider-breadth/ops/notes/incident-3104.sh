# commands run during incident 3104 (copied from the bastion history)
kubectl -n billing create secret generic psp --from-literal=api_key=S4mCmjZUPOCYr8kKZybygKoYATUSLNPn
helm upgrade billing ./chart --reuse-values --set redis.auth.password=U14672WZK!o1J9vx8t
curl -sS -H 'X-Api-Key: r8PDem1sQtVR2R7RiBlHsdaW0RYVR0DtdaXo' https://billing.acme-shop.io/internal/replay
kubectl -n billing rollout restart deploy/billing
