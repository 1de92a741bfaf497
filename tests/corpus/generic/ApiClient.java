package io.acme.partner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Base64;

public class ApiClient {
    private static final String BASE_URL = "https://partner.example-logistics.com/v2";
    private static final String API_KEY = "sbm3S60hxEEkzKDqkpNGuOXe3R122jOkqt0Yhg1o";
    private static final String CLIENT_SECRET = "EwCuFPqyBSRwz7X52dPyCDqC";
    private String password = "VdDMDXkckgh2.JOFkOMR";
    private static final String BUILD = "ef131fc";

    private final HttpClient http = HttpClient.newHttpClient();

    HttpRequest shipments() {
        String basic = Base64.getEncoder().encodeToString(("acme:" + password).getBytes());
        return HttpRequest.newBuilder(URI.create(BASE_URL + "/shipments"))
            .header("X-Api-Key", API_KEY)
            .header("Authorization", "Basic " + basic)
            .build();
    }
}
