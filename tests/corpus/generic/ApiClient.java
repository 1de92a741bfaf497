package io.acme.partner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Base64;

public class ApiClient {
    private static final String BASE_URL = "https://partner.example-logistics.com/v2";
    private static final String API_KEY = "4qDO7eEO1LD4chBRueW3hEoHc6gNBiKURNGCMxuK";
    private static final String CLIENT_SECRET = "IJhRMeNsyiM423wHeHVaw6tB";
    private String password = "3zlDE1WngjBk*478bI23";
    private static final String BUILD = "4329e0a";

    private final HttpClient http = HttpClient.newHttpClient();

    HttpRequest shipments() {
        String basic = Base64.getEncoder().encodeToString(("acme:" + password).getBytes());
        return HttpRequest.newBuilder(URI.create(BASE_URL + "/shipments"))
            .header("X-Api-Key", API_KEY)
            .header("Authorization", "Basic " + basic)
            .build();
    }
}
