package io.acmeshop.inventory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class SearchConfig {
    private static final String ES_API_KEY = "VkFPNnQ5QkhaY3pyckVsV2ZJQjA6aFNfSDdHODlfRkFadjNWSXRXRFFvNg==";
    private static final String SQLSERVER = "Server=tcp:acme-inv.database.windows.net,1433;Database=inventory;User ID=inv_app;Password=VImEbeHb5DuGeev2jK5W;Encrypt=true;";

    @Value("${search.password}")
    private String password;

    @Bean
    public SearchClient searchClient() {
        String apiKey = System.getenv("ES_API_KEY");
        return new SearchClient("https://search.acme-shop.io:9243", apiKey != null ? apiKey : ES_API_KEY);
    }
}
