<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_blog' );
define( 'DB_PASSWORD', 'PKc*xAHO8HU+F1TXIAZDiRP7' );
define( 'DB_HOST', 'blog-db.internal' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '%4TnF-c@DlL!A4}!y|RR:{HH7!lqBWAa+yf%xZ6]wh_2Rio<GLZ_:dzHkY|:}Ryz' );
define( 'SECURE_AUTH_KEY',  'J9DPXUVQozYzU>#xpBO&udUfFDk6hOhoWaO27>%EI^QU6-Yg^Ty.e]*83w)Qja?(' );
define( 'LOGGED_IN_KEY',    'put your unique phrase here' );
define( 'NONCE_KEY',        'put your unique phrase here' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
