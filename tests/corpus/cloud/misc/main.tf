terraform {
  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.36"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 4.30"
    }
  }
}

provider "digitalocean" {
  token = "dop_v1_6fe13f8f01507c268e49cb9317d4f6193b4a91527204fb39b3c1fb9b906fcac6"
}

provider "cloudflare" {
  api_token = "T3MNKYnNdV4BdHST13PwpVBrfK8bURgHrLThKzg6"
}

resource "digitalocean_droplet" "bastion" {
  name   = "bastion-1"
  region = "fra1"
  size   = "s-1vcpu-1gb"
  image  = "ubuntu-24-04-x64"
  ssh_keys = ["f5ea69c618fd708b240e8ec6e0deb48f"]
}

resource "cloudflare_record" "bastion" {
  zone_id = "082d675b0672b397727689e88bbbb19e"
  name    = "bastion"
  content = digitalocean_droplet.bastion.ipv4_address
  type    = "A"
}
