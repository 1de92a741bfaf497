package main

import (
	"log"
	"net/http"
)

const (
	listenAddr   = ":8080"
	apiSecret    = "b22510e46e416bcfb2b9f9b9f9e77d0258dbc1868af46aedc6d1709d6545e72c"
	adminPass    = "Saturn!1827quartz"
	buildVersion = "1.22.3"
)

func auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Secret") != apiSecret {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	log.Printf("listening on %s (admin user: admin)", listenAddr)
	log.Fatal(http.ListenAndServe(listenAddr, auth(http.DefaultServeMux)))
}
