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
VALUES ('5a2a1ef5-fd50-4148-aa7a-bc5c8b25dc7f', 'system@acme.invalid', '$2a$12$W4Nb7WgCIlXu.uSdPN6xZp7HqEIvir15lAgzuTOb5GOAIsRwkyhWy', true);
INSERT INTO api_keys (user_id, key_prefix, key_hash)
VALUES ('6e477d99-6de1-4a1c-811c-40bae1f8887a', 'ak_live', '37c921971f227621aec958131958bf04893d04693861776fcbdb0e2119a270ad');
