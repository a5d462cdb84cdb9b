"""AWS Signature Version 4, as the emulator checks it: the signature of a request signed in its
Authorization header, or of a presigned URL (query parameters), recomputed from the request as it
arrived and compared with the one it carries. moto checks neither form for presigned URLs, so a
tampered, expired or oversized presigned request would pass there; AWS refuses each of them.

The algorithm is AWS's (docs: "Create a signed AWS API request", "Authenticating Requests: Using
Query Parameters"); only the standard library is used.
"""
import datetime
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote, unquote

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_PRESIGNED_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Request:
    """A request as it arrived: raw path and query (still URI-encoded), lower-cased header names."""

    method: str
    raw_path: str
    raw_query: str
    headers: dict
    body: bytes = b""


@dataclass(frozen=True)
class Signed:
    """What a request says about its signature."""

    access_key_id: str
    date: str  # yyyymmdd
    region: str
    service: str
    timestamp: str  # yyyymmddThhmmssZ
    signed_headers: list
    signature: str
    session_token: str | None
    presigned: bool
    expires_seconds: int | None = None

    @property
    def scope(self):
        return f"{self.date}/{self.region}/{self.service}/aws4_request"

    def expired(self, now):
        if self.expires_seconds is None:
            return False
        signed_at = datetime.datetime.strptime(self.timestamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        return now > signed_at + datetime.timedelta(seconds=self.expires_seconds)


class Malformed(Exception):
    """The request claims a signature but its parts cannot be read."""


def query_pairs(raw_query):
    """Decoded (name, value) pairs in order; a name without '=' has the value ''."""
    pairs = []
    for part in raw_query.split("&") if raw_query else []:
        name, _, value = part.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


def read(request):
    """The signature a request carries, or None for an unsigned request."""
    authorization = request.headers.get("authorization", "")
    if authorization.startswith(ALGORITHM + " "):
        fields = {}
        for part in authorization[len(ALGORITHM) + 1:].split(","):
            name, _, value = part.strip().partition("=")
            fields[name] = value
        try:
            key, date, region, service, _ = fields["Credential"].split("/")
            return Signed(key, date, region, service, request.headers["x-amz-date"],
                          fields["SignedHeaders"].split(";"), fields["Signature"],
                          request.headers.get("x-amz-security-token"), presigned=False)
        except (KeyError, ValueError) as error:
            raise Malformed(f"the Authorization header lacks {error}") from error
    query = dict(query_pairs(request.raw_query))
    if query.get("X-Amz-Algorithm") != ALGORITHM:
        return None
    try:
        key, date, region, service, _ = query["X-Amz-Credential"].split("/")
        expires = int(query["X-Amz-Expires"])
        return Signed(key, date, region, service, query["X-Amz-Date"], query["X-Amz-SignedHeaders"].split(";"),
                      query["X-Amz-Signature"], query.get("X-Amz-Security-Token"), presigned=True, expires_seconds=expires)
    except (KeyError, ValueError) as error:
        raise Malformed(f"the presigned URL lacks or garbles {error}") from error


def _encode(text, safe="-_.~"):
    return quote(text, safe=safe)


def canonical_request(request, signed):
    # S3 signs the path as sent (encoded once); the other services too, as their paths are plain.
    path = _encode(unquote(request.raw_path or "/"), safe="-_.~/")
    pairs = [(name, value) for name, value in query_pairs(request.raw_query)
             if not (signed.presigned and name == "X-Amz-Signature")]
    query = "&".join(f"{n}={v}" for n, v in sorted((_encode(n), _encode(v)) for n, v in pairs))
    headers = "".join(f"{name}:{' '.join(request.headers.get(name, '').split())}\n" for name in signed.signed_headers)
    if signed.presigned and signed.service == "s3":
        payload = "UNSIGNED-PAYLOAD"
    else:
        payload = request.headers.get("x-amz-content-sha256") or hashlib.sha256(request.body).hexdigest()
    return "\n".join([request.method, path, query, headers, ";".join(signed.signed_headers), payload])


def signature(secret_key, request, signed):
    digest = hashlib.sha256(canonical_request(request, signed).encode("utf-8")).hexdigest()
    string_to_sign = "\n".join([ALGORITHM, signed.timestamp, signed.scope, digest])
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (signed.date, signed.region, signed.service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def matches(secret_key, request, signed):
    return hmac.compare_digest(signature(secret_key, request, signed), signed.signature)
