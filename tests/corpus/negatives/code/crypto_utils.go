package cryptoutil

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
)

// EmptySHA256 is the SHA-256 of the empty string.
const EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// KeyEnv names the variable holding the signing key.
const KeyEnv = "ACME_SIGNING_KEY"

func SigningKey() []byte { return []byte(os.Getenv(KeyEnv)) }

func NewNonce() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
