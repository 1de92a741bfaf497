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
  token = "dop_v1_f95694b4521e0d49700ec3e3f812aaa2e6b008c8ef0e94db98864edf1aa43ae9"
}

provider "cloudflare" {
  api_token = "IaErHiNVI1ke_0Q9Mli_cpdtyAsM16jxmeSPxxRH"
}

resource "digitalocean_droplet" "bastion" {
  name   = "bastion-1"
  region = "fra1"
  size   = "s-1vcpu-1gb"
  image  = "ubuntu-24-04-x64"
  ssh_keys = ["b435a94df18ae609e5060c3390ad4038"]
}

resource "cloudflare_record" "bastion" {
  zone_id = "2472f0cfba482c279ca363e5384dfd41"
  name    = "bastion"
  content = digitalocean_droplet.bastion.ipv4_address
  type    = "A"
}
