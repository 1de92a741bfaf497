provider "okta" {
  org_name  = "acme"
  base_url  = "okta.com"
  api_token = "00Y98ZMF1q0ab46pJOOXTvJ4neCrRjf7oho8sOMBZN"
}

resource "okta_group" "engineering" {
  name        = "Engineering"
  description = "All engineers"
}
