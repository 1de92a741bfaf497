<?php
return [
    'xendit' => ['secret_key' => 'xnd_production_YfNPtgOfNLd8oDLUDiLPUyWzNzgRJJ9CuqDK5vXTCF7XuVemc38d7fcxk59D'],
    'midtrans' => ['server_key' => 'SB-Mid-server-ShoxtCAAhB-oLv7YPJAbzURf', 'is_production' => false],
    'mercadopago' => ['public_key' => 'APP_USR-8f8421c8-970c-45ad-86ed-653d21707a11'],
    'woocommerce' => ['consumer_secret' => 'cs_acee532e0003b22d3ea3d6cdf9263ee7f625cc2f'],
];
