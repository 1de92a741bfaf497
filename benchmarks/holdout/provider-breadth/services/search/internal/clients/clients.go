package clients

var cfg = Config{
	TavilyKey:     "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",
	FirecrawlKey:  "fc-149a17edfcaab71ba55c41d6989e928e",
	JinaKey:       "jina_0usoHa5hv7ebgkN-vGgxh8niZKgyg9jNL1F_1n0Cr125AaODwKxue9p59M5J",
	TimeoutSecs:   30,
	CacheDigest:   "d79da6e3870f3da2c2458da1c9251f8f67bf8440ae7e392ce37577e72ff3fe8c",
	VoyageAPIKey:  "pa--OfAlGqoK3tshzlqh3Fu4nWXRwo02QqznesoS9ek5Ur",
}
