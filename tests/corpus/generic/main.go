package main

import (
	"log"
	"net/http"
)

const (
	listenAddr   = ":8080"
	apiSecret    = "1b255e082197a220ad5b07c52f3575d2aa8a3cc29db0c7ed55135a06d2bc584a"
	adminPass    = "Falcon!1632orbit"
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
