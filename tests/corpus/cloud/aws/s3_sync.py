"""Nightly export of invoices to the data lake."""
from __future__ import annotations

import datetime as dt
import logging

import boto3

log = logging.getLogger(__name__)

# TODO move to Vault before go-live
session = boto3.session.Session(
    aws_access_key_id="AKIA7XKRCLNHE7EIXZNJ",
    aws_secret_access_key="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",
    region_name="eu-central-1",
)
s3 = session.client("s3")

EXPORT_BUCKET = "acme-datalake-raw"
KMS_KEY_ARN = "arn:aws:kms:eu-central-1:218863163635:key/775d9027-d707-4cfd-8f31-f1c45a757ccd"


def export(day: dt.date) -> str:
    key = f"invoices/{day:%Y/%m/%d}/export.parquet"
    s3.upload_file("/tmp/export.parquet", EXPORT_BUCKET, key,
                   ExtraArgs={"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": KMS_KEY_ARN})
    log.info("uploaded %s (etag check skipped)", key)
    return key
