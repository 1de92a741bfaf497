provider "okta" {
  org_name  = "acme"
  base_url  = "okta.com"
  api_token = "00_dYOkazttG55wHqKqRoaRYXc9HtZ-UuQqOU5SiZc"
}

resource "okta_group" "engineering" {
  name        = "Engineering"
  description = "All engineers"
}
