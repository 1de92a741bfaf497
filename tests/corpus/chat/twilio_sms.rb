require 'twilio-ruby'

# SMS two-factor codes
ACCOUNT_SID = 'AC0f490be6cd1ad2ba6b3cba63ffcf1d91'
AUTH_TOKEN  = '796c5a667775ccb2547b0287843380fe'
API_KEY_SID = 'SKf3c95bc9742789bffb379ac7b3656306'
API_SECRET  = 'E1wwaRlOL3snwlXyLdKWUx6kLIUASdFR'
FROM_NUMBER = '+15005550006'

client = Twilio::REST::Client.new(API_KEY_SID, API_SECRET, ACCOUNT_SID)

def send_code(client, to, code)
  client.messages.create(from: FROM_NUMBER, to: to, body: "Your code is #{code}")
end
