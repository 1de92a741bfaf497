provider "okta" {
  org_name  = "acme"
  base_url  = "okta.com"
  api_token = "00tDUU6mKp8xu0Ho9vO48lWsH_y_wtEzjodfRSxwBv"
}

resource "okta_group" "engineering" {
  name        = "Engineering"
  description = "All engineers"
}
