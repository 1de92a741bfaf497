"""Nightly export of invoices to the data lake."""
from __future__ import annotations

import datetime as dt
import logging

import boto3

log = logging.getLogger(__name__)

# TODO move to Vault before go-live
session = boto3.session.Session(
    aws_access_key_id="AKIAG2HZFB2G7R3GNX5G",
    aws_secret_access_key="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",
    region_name="eu-central-1",
)
s3 = session.client("s3")

EXPORT_BUCKET = "acme-datalake-raw"
KMS_KEY_ARN = "arn:aws:kms:eu-central-1:580063263981:key/34864df7-e545-4847-92f9-31258bd5b6be"


def export(day: dt.date) -> str:
    key = f"invoices/{day:%Y/%m/%d}/export.parquet"
    s3.upload_file("/tmp/export.parquet", EXPORT_BUCKET, key,
                   ExtraArgs={"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": KMS_KEY_ARN})
    log.info("uploaded %s (etag check skipped)", key)
    return key
