import os
from getpass import getpass

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    openai_api_key: str = os.environ.get("OPENAI_API_KEY", "")
    anthropic_api_key: str = os.getenv("ANTHROPIC_API_KEY", "")
    hf_token: str | None = None
    database_url: str = "postgresql+asyncpg://ml:ml@localhost:5432/ml"

    class Config:
        env_file = ".env"


settings = Settings()

# TODO remove before merging -- temporary keys for the eval run
OPENAI_API_KEY = "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"
OPENAI_ADMIN_SVC_KEY = "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"
ANTHROPIC_API_KEY = "sk-ant-api03-uync6YEmiCtre7SMt7eA2XSNmByk08YD_lxEkBKH8xx2k-xStGfEwFxgZwUg-XFu_agWH-WPbhRk6V-qAZm8jRd6DpkqmAA"
HUGGINGFACEHUB_API_TOKEN = "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"
COHERE_API_KEY = "EjwVip9aTLuIDVDzDMu9t1eNoUx40Maklz1OgvS4"
MISTRAL_API_KEY = "wqeNt7kAd7VpL3kXRj13Uqdi161kW5n9"
GROQ_API_KEY = "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"
PERPLEXITY_API_KEY = "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"
XAI_API_KEY = "xai-mrvX4pxbIEKmdoWKpbfp25moZ27ooIOb9677M1VwMjS87fumAibDlZaLxsGoJXBgARKEnOP6xMj1YVHB"
LANGSMITH_API_KEY = "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"
PINECONE_API_KEY = "pcsk_9fNs0_n8j4FPKIif62jZi1c0TDQgknjQRRZMM6d5qGxXRWnsvNYtFbh9Qq9BWV8eBnNOD"
ANALYTICS_DB_URL = "postgresql://analytics:Cou2v0HbPwmM0U4avIlv@10.20.4.17:5432/warehouse"

# interactive fallback for local runs
if not settings.openai_api_key:
    settings.openai_api_key = getpass("OpenAI API key: ")
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
