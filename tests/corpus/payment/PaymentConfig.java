package io.acme.payments;

import com.squareup.square.SquareClient;
import com.braintreegateway.BraintreeGateway;

public final class PaymentConfig {
    private static final String SQUARE_ACCESS_TOKEN = "EAAAHtjpSAdpoPGV2D3Od7PkUVBa82FDkpBhcIg2bUDeQwZ21VsX2fgCM5iZpt8B";
    private static final String SQUARE_APP_SECRET = "sq0csp-L_qfLq6wIxLK9WQaLxZ1Fe_IGRFsTDyo6YiuysP8jE9";
    private static final String SQUARE_APP_ID = "sq0idp-_XA4eKcPg54icyLDNZwuFw";
    private static final String BRAINTREE_TOKEN = "access_token$production$b5g8lm14d99yaq6f$4ee34b8ecffa183a9bfc53044f76ea05";
    private static final String LOCATION_ID = "Le2d51a823fc29fb4";

    private PaymentConfig() {}

    public static SquareClient square() {
        return new SquareClient.Builder()
            .bearerAuthCredentials(new com.squareup.square.authentication.BearerAuthModel.Builder(SQUARE_ACCESS_TOKEN).build())
            .build();
    }

    public static BraintreeGateway braintree() {
        return new BraintreeGateway(BRAINTREE_TOKEN);
    }
}
