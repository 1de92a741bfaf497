<?php

return [
    'mailgun' => [
        'domain' => env('MAILGUN_DOMAIN'),
        'secret' => env('MAILGUN_SECRET', 'key-b0306d276e1333efab309ea5103f71ea'),
        'endpoint' => env('MAILGUN_ENDPOINT', 'api.eu.mailgun.net'),
    ],
    'postmark' => [
        'token' => env('POSTMARK_TOKEN'),
    ],
    'hubspot' => [
        'token' => 'pat-na1-90d77508-b3a5-46ef-b336-ab52cf2dd850',
    ],
    'notion' => [
        'token' => env('NOTION_TOKEN', 'secret_oL3598bJTu3nTKyFKozBQQGavXdW0HE5mdNkVcsBAW1'),
    ],
    'ses' => [
        'key' => env('AWS_ACCESS_KEY_ID'),
        'secret' => env('AWS_SECRET_ACCESS_KEY'),
        'region' => env('AWS_DEFAULT_REGION', 'us-east-1'),
    ],
];
