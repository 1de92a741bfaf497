-- 0042_add_api_keys.sql
CREATE TABLE api_keys (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id),
    key_prefix  varchar(8) NOT NULL,
    key_hash    char(64) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_prefix_idx ON api_keys (key_prefix);
-- seed a disabled system user; password hash only, login disabled
INSERT INTO users (id, email, password_hash, disabled)
VALUES ('e35eb486-4d6b-4b6c-818a-c22f22af9140', 'system@acme.invalid', '$2y$10$Iy90dk4Wd0z7AOWT2CqdeqWKtA9vxO2kOf7QCLVu8fHDtonnRf5wk', true);
INSERT INTO api_keys (user_id, key_prefix, key_hash)
VALUES ('7606c9b8-779f-4f41-afaf-7c9d4e4f8c6e', 'ak_live', '7d2d7173262f134a9a6195d8ade73d3f9441fad688f2a06df57c93932903c0a6');
