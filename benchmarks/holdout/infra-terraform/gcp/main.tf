resource "google_service_account_key" "ci" {
  service_account_id = google_service_account.ci.name
}

resource "kubernetes_secret" "gcp_creds" {
  metadata {
    name      = "gcp-creds"
    namespace = "ci"
  }
  data = {
    "key.json" = base64decode(google_service_account_key.ci.private_key)
  }
}

resource "google_secret_manager_secret_version" "oauth" {
  secret      = google_secret_manager_secret.oauth.id
  secret_data = "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"
}

resource "google_apikeys_key" "maps" {
  name = "maps-frontend"
}

locals {
  maps_key_for_backend = "AIzaORF_D61z1KgiSUIOKyP1a_-WHIa58QHgRBf"
}
