package io.acme.payments;

import com.squareup.square.SquareClient;
import com.braintreegateway.BraintreeGateway;

public final class PaymentConfig {
    private static final String SQUARE_ACCESS_TOKEN = "EAAAFemrh8MvsPM_bUVg4Cor1qx6dUtVIKWFvHKnLqSV_r93UOf3V7GWOn-ddEMl";
    private static final String SQUARE_APP_SECRET = "sq0csp-H9RfW5HnmvTwO0rhHhgu2XSn37Cqe3w3N1LZ7RsAoVG";
    private static final String SQUARE_APP_ID = "sq0idp-OtqQFYuJ2j6RHomtNoTVvQ";
    private static final String BRAINTREE_TOKEN = "access_token$production$g26xgi2pmo9gefcx$a9f0b1a8bc27718c7eb944ba51442fcf";
    private static final String LOCATION_ID = "La51dc101c394d1eb";

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
