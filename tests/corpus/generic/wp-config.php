<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', 'vPSyi4lFidWn!HiyfFin' );
define( 'DB_HOST', 'mysql.acme.internal' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '(5xj-b*96(&fi=c0q4g5lm0u!*cfo7!&1!z#2u1nxeooa2_vn3' );
define( 'SECURE_AUTH_KEY',  '!1(xzte31#r4s#xk1caac-*vnb*pa8@o%=898vvh59_o!1@31g' );
define( 'NONCE_SALT',       'l(sq(g+&hdwar@8x1)+heuwu8=co!^e!byz@tk&##i#m#vuc-=' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
