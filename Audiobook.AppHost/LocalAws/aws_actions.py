"""Which IAM actions, on which resources, a request to the emulator needs — as AWS authorizes it.

Only what the project's callers send is mapped precisely (S3 object and bucket calls, DynamoDB data
calls, SSM parameters, STS); any other call needs "<service>:<Operation>" on "*". Where AWS checks
more than the operation's own name, so does this:
- DynamoDB transactions and batches are authorized item by item, per table (a role needs
  dynamodb:PutItem / UpdateItem / DeleteItem / ConditionCheckItem, not TransactWriteItems);
- an object PUT, or a multipart upload started, with tags also needs s3:PutObjectTagging; a multi-object delete needs
  s3:DeleteObject on every key it names; removing an object's tags is s3:DeleteObjectTagging.
"""
import json
import re
from html import unescape
from urllib.parse import parse_qs, unquote

from sigv4 import query_pairs

TRANSACT_ITEM_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                         "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


def required(service, request, region, account):
    """[(action, resource ARN)] the request needs."""
    if service == "s3":
        return _s3(request)
    target = request.headers.get("x-amz-target", "")
    operation = target.rpartition(".")[2]
    if service == "dynamodb" and operation:
        return _dynamodb(operation, _json(request.body), f"arn:aws:dynamodb:{region}:{account}:table/")
    if service == "ssm" and operation:
        return _ssm(operation, _json(request.body), f"arn:aws:ssm:{region}:{account}:parameter")
    # Query-protocol services (STS, IAM, CloudFormation ...): the Action parameter.
    form = parse_qs(request.body.decode("utf-8", "replace")) if request.body else {}
    action = (form.get("Action") or [dict(query_pairs(request.raw_query)).get("Action", operation or "Unknown")])[0]
    if service == "sts" and action == "AssumeRole":
        return [("sts:AssumeRole", form.get("RoleArn", ["*"])[0])]
    return [(f"{service}:{action}", "*")]


def _json(body):
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {}


def _dynamodb(operation, body, tables):
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [(f"dynamodb:{operation}", tables + name) for name in body.get("RequestItems", {})]
    if operation in ("TransactWriteItems", "TransactGetItems"):
        needs = []
        for item in body.get("TransactItems", []):
            for kind, detail in item.items():
                needs.append((f"dynamodb:{TRANSACT_ITEM_ACTIONS.get(kind, kind)}", tables + detail.get("TableName", "")))
        return needs
    if "TableName" not in body:
        return [(f"dynamodb:{operation}", "*")]
    resource = tables + body["TableName"]
    if body.get("IndexName"):
        resource += "/index/" + body["IndexName"]
    return [(f"dynamodb:{operation}", resource)]


def _ssm(operation, body, parameters):
    def arn(name):
        return parameters + (name if name.startswith("/") else "/" + name)

    names = body.get("Names") or ([body["Name"]] if "Name" in body else [body["Path"]] if "Path" in body else [])
    return [(f"ssm:{operation}", arn(name)) for name in names] or [(f"ssm:{operation}", "*")]


def s3_target(raw_path):
    """(bucket, key) of a path-style S3 request; key is None for a bucket-level call."""
    path = unquote(raw_path).lstrip("/")
    bucket, _, key = path.partition("/")
    return bucket, (key or None)


def _s3(request):
    bucket, key = s3_target(request.raw_path)
    query = {name for name, _ in query_pairs(request.raw_query)}
    method = request.method
    if not bucket:
        return [("s3:ListAllMyBuckets", "*")]
    bucket_arn = f"arn:aws:s3:::{bucket}"
    if key is None:
        if method == "POST" and "delete" in query:
            keys = [unescape(k) for k in re.findall(r"<Key>(.*?)</Key>", request.body.decode("utf-8", "replace"), re.S)]
            return [("s3:DeleteObject", f"{bucket_arn}/{k}") for k in keys] or [("s3:DeleteObject", bucket_arn + "/*")]
        by_query = {"location": "GetBucketLocation", "uploads": "ListBucketMultipartUploads", "versions": "ListBucketVersions",
                    "cors": "PutBucketCORS" if method in ("PUT", "DELETE") else "GetBucketCORS",
                    "lifecycle": "PutLifecycleConfiguration" if method in ("PUT", "DELETE") else "GetLifecycleConfiguration",
                    "policy": {"PUT": "PutBucketPolicy", "DELETE": "DeleteBucketPolicy"}.get(method, "GetBucketPolicy")}
        for name, action in by_query.items():
            if name in query:
                return [(f"s3:{action}", bucket_arn)]
        action = {"GET": "ListBucket", "HEAD": "ListBucket", "PUT": "CreateBucket", "DELETE": "DeleteBucket"}.get(method, "Unknown")
        return [(f"s3:{action}", bucket_arn)]

    object_arn = f"{bucket_arn}/{key}"
    if method in ("GET", "HEAD"):
        action = ("GetObjectTagging" if "tagging" in query else "ListMultipartUploadParts" if "uploadId" in query
                  else "GetObjectVersion" if "versionId" in query else "GetObject")
        return [(f"s3:{action}", object_arn)]
    if method == "PUT":
        if "tagging" in query:
            return [("s3:PutObjectTagging", object_arn)]
        needs = [("s3:PutObject", object_arn)]
        if request.headers.get("x-amz-tagging"):
            needs.append(("s3:PutObjectTagging", object_arn))
        if request.headers.get("x-amz-copy-source"):
            source = unquote(request.headers["x-amz-copy-source"]).lstrip("/").split("?")[0]
            needs.append(("s3:GetObject", f"arn:aws:s3:::{source}"))
        return needs
    if method == "DELETE":
        action = ("DeleteObjectTagging" if "tagging" in query else "AbortMultipartUpload" if "uploadId" in query
                  else "DeleteObjectVersion" if "versionId" in query else "DeleteObject")
        return [(f"s3:{action}", object_arn)]
    if method == "POST":
        needs = [("s3:PutObject", object_arn)]  # multipart create and complete
        if request.headers.get("x-amz-tagging"):
            needs.append(("s3:PutObjectTagging", object_arn))
        return needs
    return [("s3:Unknown", object_arn)]
