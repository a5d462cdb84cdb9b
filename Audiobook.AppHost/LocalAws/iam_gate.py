"""IAM in front of moto: who signed a request, is the signature right, and may they do this?

- The emulator's own credentials (the account's owner: provisioning, the tests, local tools) may
  do anything, as an account's root user may in AWS. Their presigned URLs are still checked, as
  everyone's are.
- Any other access key must be one moto's IAM knows: an IAM user's key, or the session of a role
  assumed through STS (the production-like profile runs the API as the template's ApiRole that
  way, as Lambda does). Its signature is recomputed (sigv4.py) and every action the request needs
  (aws_actions.py) is evaluated against that principal's policies with moto's own policy engine.
  A call the role does not allow fails here as it fails in AWS.
- Presigned URLs (anyone's): the signature, the signed headers (a signed Content-Length makes a
  larger body fail), the expiry and the session token are checked. moto checks none of them.
- A GET or HEAD of a missing object answers 403, not 404, to a principal without s3:ListBucket on
  the bucket, as S3 does (it will not tell who may not list whether a key exists).
moto's own IAM switch (INITIAL_NO_AUTH_ACTION_COUNT) stays off: it cannot read presigned
requests, and it authorizes DynamoDB calls against "*" instead of their tables.
"""
import datetime
import io
import json

from moto.iam.access_control import CreateAccessKeyFailure, IAMPolicy, PermissionResult, create_access_key
from moto.iam.models import get_account_id_from

import aws_actions
import sigv4


class Denied(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Principal:
    """A caller known to moto's IAM: its secret, its ARN and its policies."""

    def __init__(self, key):
        self.secret = key._secret_access_key
        self.arn = key.arn
        self._policies = key.collect_policies()

    def allows(self, action, resource):
        allowed = False
        for policy in self._policies:
            result = IAMPolicy(policy).is_action_permitted(action, resource)
            if result == PermissionResult.DENIED:
                return False
            allowed = allowed or result == PermissionResult.PERMITTED
        return allowed


class IamGate:
    def __init__(self, app, root_access_key, root_secret_key):
        self.app = app
        self.root = (root_access_key, root_secret_key)

    def __call__(self, environ, start_response):
        request = _request(environ)
        service = None
        if request.method == "OPTIONS":
            return self.app(environ, start_response)  # CORS preflights are never signed; the bucket's CORS rules answer them
        try:
            signed = sigv4.read(request)
            if signed is None:
                return self.app(environ, start_response)  # unsigned: health checks, moto's own API
            service = signed.service
            if signed.access_key_id != self.root[0] and _body_is_signed_or_read(service, request):
                _with_body(environ)
                request = _request(environ)
            principal = self._authenticate(request, signed)
            if principal is not None:
                account = get_account_id_from(signed.access_key_id)
                for action, resource in aws_actions.required(service, request, signed.region, account):
                    if not principal.allows(action, resource):
                        raise Denied(403 if service == "s3" else 400, "AccessDenied" if service == "s3" else "AccessDeniedException",
                                     f"User: {principal.arn} is not authorized to perform: {action} on resource: {resource} "
                                     f"because no identity-based policy allows the {action} action")
                if service == "s3" and request.method in ("GET", "HEAD"):
                    return self._hide_missing_objects(environ, start_response, request, principal)
        except sigv4.Malformed as error:
            return _error(start_response, service or "s3", request, Denied(400, "AuthorizationQueryParametersError", str(error)))
        except Denied as denied:
            return _error(start_response, service, request, denied)
        return self.app(environ, start_response)

    def _authenticate(self, request, signed):
        """None for the root user, else the principal; raises Denied for a bad or expired signature."""
        if signed.presigned:
            if signed.expires_seconds > sigv4.MAX_PRESIGNED_SECONDS:
                raise Denied(400, "AuthorizationQueryParametersError",
                             "X-Amz-Expires must be less than a week (in seconds) that is 604800")
            if signed.expired(datetime.datetime.now(datetime.timezone.utc)):
                raise Denied(403, "AccessDenied", "Request has expired")
        if signed.access_key_id == self.root[0]:
            if signed.presigned and not sigv4.matches(self.root[1], request, signed):
                raise _signature_mismatch(signed.service)
            return None
        try:
            headers = {"X-Amz-Security-Token": signed.session_token} if signed.session_token else {}
            principal = Principal(create_access_key(account_id=get_account_id_from(signed.access_key_id), partition="aws",
                                                    access_key_id=signed.access_key_id, headers=headers))
        except CreateAccessKeyFailure as failure:
            if signed.service == "s3":
                raise Denied(403, "InvalidToken" if failure.reason == "InvalidToken" else "InvalidAccessKeyId",
                             "The AWS Access Key Id you provided does not exist in our records.") from failure
            raise Denied(400, "UnrecognizedClientException", "The security token included in the request is invalid.") from failure
        if not sigv4.matches(principal.secret, request, signed):
            raise _signature_mismatch(signed.service)
        return principal

    def _hide_missing_objects(self, environ, start_response, request, principal):
        bucket, key = aws_actions.s3_target(request.raw_path)
        if key is None or principal.allows("s3:ListBucket", f"arn:aws:s3:::{bucket}"):
            return self.app(environ, start_response)
        answered = {}

        def capture(status, headers, exc_info=None):
            answered["status"], answered["headers"] = status, headers
            return lambda _: None

        body = self.app(environ, capture)
        if not answered.get("status", "").startswith("404"):
            start_response(answered["status"], answered["headers"])
            return body
        if hasattr(body, "close"):
            body.close()
        return _error(start_response, "s3", request, Denied(403, "AccessDenied", "Access Denied"))


def _signature_mismatch(service):
    message = ("The request signature we calculated does not match the signature you provided. "
               "Check your key and signing method.")
    return Denied(403, "SignatureDoesNotMatch", message) if service == "s3" else Denied(400, "InvalidSignatureException", message)


def _request(environ):
    raw_uri = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
    raw_path, _, raw_query = raw_uri.partition("?")
    headers = {name[5:].replace("_", "-").lower(): value for name, value in environ.items() if name.startswith("HTTP_")}
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").lower()] = environ[name]
    return sigv4.Request(environ["REQUEST_METHOD"], raw_path, raw_query or environ.get("QUERY_STRING", ""), headers,
                         environ.get("audiobook.body", b""))


def _body_is_signed_or_read(service, request):
    """JSON and query calls sign their body's hash; a multi-object delete names its keys in it. An
    S3 upload's body is neither (its hash is a header), and may be gigabytes: it is left alone."""
    return service != "s3" or (request.method == "POST" and "delete" in dict(sigv4.query_pairs(request.raw_query)))


def _with_body(environ):
    """Reads the body once and hands moto a fresh copy of it."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["audiobook.body"] = body
    environ["wsgi.input"] = io.BytesIO(body)


def _error(start_response, service, request, denied):
    if service == "s3" or service is None:
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                f"<Error><Code>{denied.code}</Code><Message>{_xml(denied.message)}</Message><RequestId>emulator</RequestId></Error>").encode()
        content_type = "application/xml"
    else:
        body = json.dumps({"__type": f"com.amazon.coral.service#{denied.code}", "message": denied.message}).encode()
        content_type = "application/x-amz-json-1.0"
    reason = {400: "Bad Request", 403: "Forbidden"}.get(denied.status, "Error")
    start_response(f"{denied.status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                                 ("x-amzn-ErrorType", denied.code)])
    return [] if request.method == "HEAD" else [body]


def _xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
