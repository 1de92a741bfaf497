<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', 'nRWgRTMoeKuL+SAAYbeZ' );
define( 'DB_HOST', 'mysql.acme.internal' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '-ac9u-bh7#cf2n58pqhfml=oorz92i6bq!ecmybnkkg14+j0x@' );
define( 'SECURE_AUTH_KEY',  'cmb+#-4&@1_0n6(=^ie3(&^!h!!u-fg0&o012h^t13lpj4(40f' );
define( 'NONCE_SALT',       'ax*m1kb#9ytv&f3wm^se+r3zjfj)1^%ph-(9^!3eylfi*_e9&n' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
