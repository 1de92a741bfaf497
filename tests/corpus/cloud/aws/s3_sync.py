"""Nightly export of invoices to the data lake."""
from __future__ import annotations

import datetime as dt
import logging

import boto3

log = logging.getLogger(__name__)

# TODO move to Vault before go-live
session = boto3.session.Session(
    aws_access_key_id="AKIAPVGIDZQH5ZMVT67X",
    aws_secret_access_key="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",
    region_name="eu-central-1",
)
s3 = session.client("s3")

EXPORT_BUCKET = "acme-datalake-raw"
KMS_KEY_ARN = "arn:aws:kms:eu-central-1:372322812511:key/c764193c-0098-4775-8902-7d7076cfd6f3"


def export(day: dt.date) -> str:
    key = f"invoices/{day:%Y/%m/%d}/export.parquet"
    s3.upload_file("/tmp/export.parquet", EXPORT_BUCKET, key,
                   ExtraArgs={"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": KMS_KEY_ARN})
    log.info("uploaded %s (etag check skipped)", key)
    return key
