package io.acme.config;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

@Component
public class Settings {
    @Value("${acme.db.password}")
    private String dbPassword;

    @Value("${ACME_API_TOKEN:}")
    private String apiToken;

    private static final String PASSWORD_PROPERTY = "acme.db.password";
    private static final String SECRET_ENV = "ACME_SECRET";
    private static final int TOKEN_LENGTH = 32;
    private static final long SERIAL_VERSION = 8683452581122892189L;

    public boolean hasToken() {
        return apiToken != null && !apiToken.isBlank();
    }
}
