import replicate
from anthropic import Anthropic
from openai import OpenAI

# legacy key kept for the batch job that still runs on the old org
legacy_client = OpenAI(api_key="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")
claude = Anthropic()  # reads ANTHROPIC_API_KEY
admin = Anthropic(api_key="sk-ant-admin01-7_iFzOasvZJQAbchwKNR4j7S-siwSR_WsNu7t4-wm2W9QmqJbsHygoA_sdsiXghSu5czAo7UFpJpJJL5nVUNOs1zEOZilAA", base_url="https://api.anthropic.com")
rep = replicate.Client(api_token="r8_LNRWiiiI3IvNgiIR8t3yxAPRBgv5Z9afkbRPr")


def embed(texts: list[str]) -> list[list[float]]:
    resp = legacy_client.embeddings.create(model="text-embedding-3-small", input=texts)
    return [d.embedding for d in resp.data]


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Request-Id": "938a2cf4-fff0-418e-a0a7-d2682ffd85fa"}
