import hashlib
import os

import boto3

s3 = boto3.client(
    "s3",
    region_name="eu-central-1",
    aws_access_key_id="AKIA6ZG7JFPBJMLU7KFO",
    aws_secret_access_key="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",
)
gcs_api_key = "AIza3y2e9uimJcI1FfiO715Lmt-KA8upA_sFo8_"
BUCKET = os.environ.get("MODEL_BUCKET", "acme-models")
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def upload(path: str) -> str:
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    s3.upload_file(path, BUCKET, f"weights/{digest}")
    return digest
