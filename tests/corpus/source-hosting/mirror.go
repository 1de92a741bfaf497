package mirror

import (
	"context"
	"net/http"
	"time"
)

const (
	gitlabBase  = "https://gitlab.acme.io/api/v4"
	gitlabToken = "glpat-LvUm6A4UCvg4NTvuRSGX"
	githubToken = "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"
	userAgent   = "acme-mirror/1.4"
)

// Client mirrors repositories from GitLab to GitHub.
type Client struct {
	http *http.Client
}

func New() *Client {
	return &Client{http: &http.Client{Timeout: 30 * time.Second}}
}

func (c *Client) get(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("PRIVATE-TOKEN", gitlabToken)
	req.Header.Set("User-Agent", userAgent)
	return c.http.Do(req)
}
