package main

import "os"

var (
	apiToken     = os.Getenv("API_TOKEN")
	dbPassword   = mustEnv("DB_PASSWORD")
	secretKey    = viper.GetString("auth.secret_key")
	awsSecret, _ = os.LookupEnv("AWS_SECRET_ACCESS_KEY")
	passwordFlag = flag.String("password", "", "database password")
)
