package config

import (
	"fmt"
	"os"

	"github.com/spf13/viper"
)

const (
	defaultDSN      = "orders:bTCDEbdHvyye67BQ1Cly@tcp(orders-db.internal:3306)/orders?parseTime=true"
	twilioSID       = "AC2339f8118a936298126d79b6bcbca04d"
	twilioAuthToken = "74f7a164a4f84bc825ced2592463ffe2"
	telegramToken   = "6177042292:AAtDamLcQrjBG86ZWorMHC7x0_ZSwHl2u1o"
	mongoURI        = "mongodb+srv://orders:tNJFKsHX37FIpoGUOsLS@cluster0.x7k2p.mongodb.net/orders?retryWrites=true&w=majority"
	amqpURL         = "amqp://orders:MIgl94xHnkuSuGSNrd16@rabbitmq.internal:5672/orders"
	userAgent       = "orders-svc/1.12.0"
	buildSHA        = "0679caff0f754bbf462da23a9b8c0f4b81d7ca68"
)

type Config struct {
	DSN        string
	APIToken   string
	SigningKey []byte
}

func Load() (*Config, error) {
	viper.AutomaticEnv()
	token := os.Getenv("ORDERS_API_TOKEN")
	if token == "" {
		return nil, fmt.Errorf("ORDERS_API_TOKEN is required")
	}
	return &Config{
		DSN:        viper.GetString("database.dsn"),
		APIToken:   token,
		SigningKey: []byte(os.Getenv("SIGNING_KEY")),
	}, nil
}
