"""moto's server, made faithful to AWS in the ways the API relies on.

1. DynamoDB requests are served one at a time. DynamoDB guarantees that conditional writes and transactions are atomic and isolated from each
other. moto's threaded server does not: two concurrent TransactWriteItems can both pass the same
condition. Serialising just the DynamoDB requests (they take microseconds) gives the API the
guarantees it relies on in AWS, while S3 keeps serving uploads and Range streams concurrently.

2. S3 GETs honour the response-content-type / response-content-disposition (and kin) query
parameters of presigned URLs, as S3 does; moto ignores them. Downloads rely on them for
Content-Disposition: attachment with the original file name.

3. IAM is enforced for every caller but the emulator's own credentials (the account's owner), and
presigned URLs are verified for everyone (iam_gate.py): signature, signed headers, expiry.

4. A transaction copies the items it names, not whole tables (dynamodb_transactions.py): its cost
does not grow with the table, as in DynamoDB.

5. Objects are served and assembled without reading them whole (s3_objects.py): a ranged GET reads
its range, a multipart completion copies parts file to file, and open multipart uploads say when
they were started, so the lifecycle sweep can abort abandoned ones.

6. moto's Flask apps run out of debug mode (create_served_app), so a request and the body it read
are freed when it is answered.

Usage: python3 moto_server.py -H 127.0.0.1 -p PORT   (the same flags as moto_server)
"""
import argparse
import os
import signal
import sys
import threading
from urllib.parse import parse_qs

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

import dynamodb_transactions
import s3_objects
from iam_gate import IamGate

dynamodb_transactions.install()
s3_objects.install()

dynamodb_lock = threading.Lock()


def create_served_app(service):
    """moto's Flask app for a service, out of debug mode. In debug mode Flask gives every request a class
    of its own (flask.debughelpers.attach_enctype_error_multidict) that refers back to the request: a
    cycle, so each request and the body it read (an 8-64 MiB upload part) outlived its answer until the
    garbage collector's next full pass. Errors still propagate as they did in debug mode."""
    app = create_backend_app(service)
    app.debug = False
    app.config["PROPAGATE_EXCEPTIONS"] = True
    return app


moto_app = DomainDispatcherApplication(create_served_app)


RESPONSE_OVERRIDES = {
    "response-content-type": "Content-Type",
    "response-content-disposition": "Content-Disposition",
    "response-content-language": "Content-Language",
    "response-content-encoding": "Content-Encoding",
    "response-cache-control": "Cache-Control",
    "response-expires": "Expires",
}


def with_response_overrides(environ, start_response):
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return start_response
    query = parse_qs(environ.get("QUERY_STRING", ""))
    overrides = {header: query[param][0] for param, header in RESPONSE_OVERRIDES.items() if param in query}
    if not overrides:
        return start_response

    def start(status, headers, exc_info=None):
        if status.startswith(("200", "206")):
            names = {name.lower() for name in overrides}
            headers = [(k, v) for k, v in headers if k.lower() not in names] + list(overrides.items())
        return start_response(status, headers, exc_info)

    return start


def dispatch(environ, start_response):
    if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
        with dynamodb_lock:
            # The whole response is produced inside the lock.
            return list(moto_app(environ, start_response))
    return moto_app(environ, with_response_overrides(environ, start_response))


# The account owner's credentials: what the AppHost gives the emulator's clients (LocalAwsExtensions).
app = IamGate(dispatch, os.environ.get("EMULATOR_ACCESS_KEY_ID", "test"), os.environ.get("EMULATOR_SECRET_ACCESS_KEY", "test"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
