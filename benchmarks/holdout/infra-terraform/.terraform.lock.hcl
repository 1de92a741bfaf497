# This file is maintained automatically by "terraform init".
provider "terraform.artifacts.acme-shop.io/hashicorp/aws" {
  version     = "5.40.0"
  constraints = "~> 5.40"
  hashes = [
    "h1:MGekHL8T342KR+6LZera07okrlAyLI9LRwZqPlzXlVQ=",
    "zh:2d7a1dcbfd05995a6b2fee2c5c0bcbe27993a0a639fb027da311f6eb70a7aae4",
    "zh:7081789fc36fcf194008ec5ebac4f55f632c64e3a14e3915e0eececf124b94f3",
    "zh:dd38c6b1f64a9a468b9bb3d47f61d04c06d4240f03bf4f747c73e55ce4f1233a",
  ]
}

provider "terraform.artifacts.acme-shop.io/hashicorp/random" {
  version = "3.6.0"
  hashes = [
    "h1:jmrBkmnKZrvjZ7fNPCYqIJHsKgCJfL15gP6iprjcyBw=",
    "zh:a522d3ebd3c5da1d1256bdee509a4288ed2444175f07bac29ce830ea01ee626a",
  ]
}
