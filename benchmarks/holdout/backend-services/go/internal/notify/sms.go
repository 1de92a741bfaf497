package notify

import "github.com/twilio/twilio-go"

func NewClient() *twilio.RestClient {
	return twilio.NewRestClientWithParams(twilio.ClientParams{
		Username:   "SKff1116ce470fb5c70de98137bd0229f5",
		Password:   "jswpy3SCFvg4oPZVTzAtdMAKjLZGVdK2",
		AccountSid: "ACa2ef3704bc96ab53e5dcaaafc7bb0339",
	})
}
