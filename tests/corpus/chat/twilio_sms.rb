require 'twilio-ruby'

# SMS two-factor codes
ACCOUNT_SID = 'ACcf583f5afb82a057574c745edbc34d04'
AUTH_TOKEN  = 'fc42f3ed33971aece7a753c98b951438'
API_KEY_SID = 'SKd539cdac576e33d9475f0a618c81025b'
API_SECRET  = '6i3IuIVOJFaULPlpeFnBbO5rAgD6pi3V'
FROM_NUMBER = '+15005550006'

client = Twilio::REST::Client.new(API_KEY_SID, API_SECRET, ACCOUNT_SID)

def send_code(client, to, code)
  client.messages.create(from: FROM_NUMBER, to: to, body: "Your code is #{code}")
end
