public final class Config {
    static final String PASSWORD = System.getenv("DB_PASSWORD");
    static final String API_KEY = System.getProperty("api.key");
    @Value("${stripe.secret-key}") private String stripeSecretKey;
    @Value("${jwt.secret:#{null}}") private String jwtSecret;
    private final String token = vault.read("secret/data/app").getData().get("token");
}
