provider "okta" {
  org_name  = "acme"
  base_url  = "okta.com"
  api_token = "00xWmKOKxO1puJZrPDSKXANKoKlPWCZlZNzGp2QGxO"
}

resource "okta_group" "engineering" {
  name        = "Engineering"
  description = "All engineers"
}
