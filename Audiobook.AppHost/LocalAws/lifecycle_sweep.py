"""Does on the local emulator what AWS does on its own and moto does not: expires objects by the
bucket's lifecycle rules and items by DynamoDB Time to Live.

The rules are read from the emulator, where aws/provision.sh put them from aws/data.yaml; nothing
here repeats them. Only what the template uses is supported: current-version expiration after N
days, filtered by prefix and/or tags; aborting multipart uploads N days after they were started;
and TTL on an epoch-seconds attribute. Days are counted from an object's LastModified or an
upload's Initiated, as S3 does (S3 rounds to the next midnight UTC; this sweep does not).

    python lifecycle_sweep.py --every 60                  # the AppHost runs this
    python lifecycle_sweep.py --now 2030-01-01T00:00:00Z --only BOOKID
                                  # one sweep as if it were then, of keys containing BOOKID (tests)
"""
import argparse
import datetime
import sys
import time

import boto3
from botocore.exceptions import BotoCoreError, ClientError


def expiring_rules(s3, bucket):
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    except ClientError:
        return []
    return [r for r in rules if r.get("Status") == "Enabled" and "Days" in r.get("Expiration", {})]


def rule_filter(rule):
    """(prefix, {tag: value}) of a rule, in any of the shapes S3 returns."""
    found = rule.get("Filter", {})
    both = found.get("And", {})
    prefix = found.get("Prefix", both.get("Prefix", rule.get("Prefix", "")))
    tags = [found["Tag"]] if "Tag" in found else both.get("Tags", [])
    return prefix, {t["Key"]: t["Value"] for t in tags}


def abort_rules(s3, bucket):
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    except ClientError:
        return []
    return [r for r in rules if r.get("Status") == "Enabled" and "AbortIncompleteMultipartUpload" in r]


def abort_stale_uploads(s3, bucket, now, only):
    """Multipart uploads started more than the rule's days ago are aborted: their parts go."""
    rules = [(rule_filter(r)[0], r["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], r.get("ID", "?"))
             for r in abort_rules(s3, bucket)]
    aborted = 0
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket) if rules else []:
        for upload in page.get("Uploads", []):
            if only not in upload["Key"]:
                continue
            for prefix, days, rule_id in rules:
                if upload["Key"].startswith(prefix) and upload["Initiated"] + datetime.timedelta(days=days) <= now:
                    s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
                    print(f"s3://{bucket}/{upload['Key']}: multipart upload aborted by lifecycle rule {rule_id}", flush=True)
                    aborted += 1
                    break
    return aborted


def sweep_bucket(s3, bucket, now, only):
    abort_stale_uploads(s3, bucket, now, only)
    rules = [(rule_filter(r), r["Expiration"]["Days"], r.get("ID", "?")) for r in expiring_rules(s3, bucket)]
    if not rules:
        return 0
    expired = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            if only not in obj["Key"]:
                continue
            tags = None
            for (prefix, wanted), days, rule_id in rules:
                if not obj["Key"].startswith(prefix) or obj["LastModified"] + datetime.timedelta(days=days) > now:
                    continue
                if wanted:
                    if tags is None:
                        tags = {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=obj["Key"])["TagSet"]}
                    if any(tags.get(k) != v for k, v in wanted.items()):
                        continue
                s3.delete_object(Bucket=bucket, Key=obj["Key"])
                print(f"s3://{bucket}/{obj['Key']} expired by lifecycle rule {rule_id}", flush=True)
                expired += 1
                break
    return expired


def sweep_table(dynamodb, table, now, only):
    ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") != "ENABLED":
        return 0
    keys = [k["AttributeName"] for k in dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]]
    expired = 0
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression="#ttl < :now",
        ExpressionAttributeNames={"#ttl": ttl["AttributeName"]},
        ExpressionAttributeValues={":now": {"N": str(int(now.timestamp()))}},
    )
    for page in pages:
        for item in page.get("Items", []):
            if not any(only in str(item[k].get("S", "")) for k in keys):
                continue
            dynamodb.delete_item(TableName=table, Key={k: item[k] for k in keys})
            expired += 1
    if expired:
        print(f"{table}: {expired} items expired by TTL", flush=True)
    return expired


def sweep(now, only=""):
    s3 = boto3.client("s3")
    dynamodb = boto3.client("dynamodb")
    for bucket in s3.list_buckets().get("Buckets", []):
        sweep_bucket(s3, bucket["Name"], now, only)
    for page in dynamodb.get_paginator("list_tables").paginate():
        for table in page.get("TableNames", []):
            sweep_table(dynamodb, table, now, only)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=60, help="seconds between sweeps")
    parser.add_argument("--now", help="sweep once, as if it were this ISO 8601 time")
    parser.add_argument("--only", default="", help="only objects and items whose key contains this text")
    args = parser.parse_args()
    if args.now:
        sweep(datetime.datetime.fromisoformat(args.now.replace("Z", "+00:00")), args.only)
        return
    print(f"sweeping every {args.every:g} s", flush=True)
    while True:
        try:
            sweep(datetime.datetime.now(datetime.timezone.utc))
        except (BotoCoreError, ClientError) as error:
            # The emulator restarting (reset command) or not provisioned yet: try again next time.
            print(f"sweep skipped: {error}", file=sys.stderr, flush=True)
        time.sleep(args.every)


if __name__ == "__main__":
    main()
