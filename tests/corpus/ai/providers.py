"""Clients for the retrieval pipeline."""
import os

from tavily import TavilyClient

tavily = TavilyClient(api_key="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")
ELEVENLABS_API_KEY = "sk_713174a8244a26df9e6459937f8b954cdfc34d19bbbd3732"
CEREBRAS_API_KEY = os.getenv("CEREBRAS_API_KEY", "csk-eiekgmsjbrxi7y2t9jixu9hmtucurgi38j20yerv50fk0lm5")
LANGFUSE_PUBLIC_KEY = "pk-lf-d6e22dcc-ef46-42aa-9b4b-f70621641356"
LANGFUSE_SECRET_KEY = "sk-lf-ef43c3f9-6f97-48c7-a70d-3b322f199ecf"
TOGETHER_API_KEY = "tgp_v1_xd7I6BspURTxkCL3iTuvwjMT3oAll_h2dliYVLISRTA"
LLAMA_CLOUD_API_KEY = "llx-PMXKIe8jDbMQAk1FFyRuTrQoI3J8VBqktixZiGYLLhyzhPOu"
FIRECRAWL_API_KEY = "fc-365ddda8dc55fedb5117055faa8e88a6"
DEEPGRAM_API_KEY = "eafea101f8a22d865e2d670501bb6edec346cb66"
NEPTUNE_API_TOKEN = "eyJhcGlfYWRkcmVzcyI6Imh0dHBzOi8vYXBwLm5lcHR1bmUuYWkiLCJhcGlfdXJsIjoiaHR0cHM6Ly9hcHAubmVwdHVuZS5haSIsImFwaV9rZXkiOiI3NjE3YTM1ZS1hMGY4LTQxZmEtYTg3Ny0xMmFmNzM1ZmY0NTEifQ=="
EMBEDDING_CACHE_KEY = "3f8fe8ffeec8bbfa9be3a131b52427160aaee3f1409434d0413ed8a31dab6bec"
