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
VALUES ('cbb5427d-9b43-4cfc-a1b1-5b0b12b23832', 'system@acme.invalid', '$2a$10$/FwrmR0BJnsnonO./atfV2f3HfF13eJou27y6wdT7Rwd2uDWUg3I2', true);
INSERT INTO api_keys (user_id, key_prefix, key_hash)
VALUES ('4cbed6da-d6b7-4de5-b4f3-f743b7d8ad7a', 'ak_live', '7af2be2d18071c55000a0066d46834eecaa0dc54f0a9cde9b4be07ce8f6cd542');
