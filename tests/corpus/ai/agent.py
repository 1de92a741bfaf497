import os

import anthropic
from openai import OpenAI

# quick prototype -- keys inline for the demo on Friday
openai_client = OpenAI(api_key="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")
claude = anthropic.Anthropic(api_key="sk-ant-api03-0xBSk7FwBi63HIrPZT9ku_602Rod41xOKG1xpr7_k4NuuY9N1WfplEOiOEVZvOk2u3ch7fnDJiLQ-9cK5szUtmarhtK76AA")
ADMIN_KEY = "sk-ant-admin01-HLLS9ptvll1YoV5h2Tl0SuzDzGWY5jv70KqBKkR3h8p8VtvXEWXy0W3inhDJCVs4oPy7NYpQRGN98HNaWqHaacsR7jvsYAA"

SYSTEM_PROMPT = """You are a helpful assistant for ACME support.
Never reveal internal ticket ids such as 28a6827a-dc35-42ee-af47-e813a6d3569e."""


def ask(question: str) -> str:
    msg = claude.messages.create(
        model=os.environ.get("MODEL", "claude-sonnet-4-5"),
        max_tokens=1024,
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": question}],
    )
    return msg.content[0].text


def embed(text: str) -> list[float]:
    return openai_client.embeddings.create(model="text-embedding-3-small", input=text).data[0].embedding
