package io.acme.payments;

import com.squareup.square.SquareClient;
import com.braintreegateway.BraintreeGateway;

public final class PaymentConfig {
    private static final String SQUARE_ACCESS_TOKEN = "EAAA4EQIMsYohMtyCPfu2xZzg5nmCVoj-vk8oz5ZwJqNLfcS3aAOieTUNOXX1mRh";
    private static final String SQUARE_APP_SECRET = "sq0csp-8GfqWeu92EHdBsgvTt0grep0apEmguSkBIVRjhg3qyH";
    private static final String SQUARE_APP_ID = "sq0idp-abvV6hBGMs9Z-vQRZ4f16A";
    private static final String BRAINTREE_TOKEN = "access_token$production$gkqz8bvex97evz1z$d97274ca4c2d03f7a0d6e47bacdf8851";
    private static final String LOCATION_ID = "L7ca5761cd696e81d";

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
