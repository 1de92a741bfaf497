Stripe.api_key = ENV.fetch("STRIPE_SECRET_KEY")
Rails.application.config.secret_key_base = ENV["SECRET_KEY_BASE"] || "8c504688fbdbd98be08f1d5b686da9e83b2f126561871758bbb8a7a41072b23acdf754d853ea9af9a6e822354e3cb3d1dc8453ed104711c4634a9c845fa3c2e6"

Slack.configure do |config|
  config.token = "xoxp-63648332197-84974903215-5408503954748-00b8f1b58f956ebabf39e93817746e31"
end

Mailchimp = MailchimpMarketing::Client.new.tap do |c|
  c.set_config(api_key: "4eab6f4585e484bc016338c2d956db7a-us21", server: "us14")
end

Airtable.api_key = "pathKF9KXYDYT2g6C.d5c1400985a54540753eb00744188ae715308f47c5fb7ab4544cfec956397384"
Asana::Client.new { |c| c.authentication :access_token, "2/0909953092781945/9388024926445109:b1ca2491aa5f2b04d90d82bdb5d29a27" }
SHOPIFY_STOREFRONT_TOKEN = Rails.application.credentials.dig(:shopify, :storefront_token)
