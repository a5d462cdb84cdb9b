"""moto's server, with DynamoDB requests served one at a time.

DynamoDB guarantees that conditional writes and transactions are atomic and isolated from each
other. moto's threaded server does not: two concurrent TransactWriteItems can both pass the same
condition. Serialising just the DynamoDB requests (they take microseconds) gives the API the
guarantees it relies on in AWS, while S3 keeps serving uploads and Range streams concurrently.

Usage: python3 moto_server.py -H 127.0.0.1 -p PORT   (the same flags as moto_server)
"""
import argparse
import os
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

dynamodb_lock = threading.Lock()
moto_app = DomainDispatcherApplication(create_backend_app)


def app(environ, start_response):
    if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
        with dynamodb_lock:
            # The whole response is produced inside the lock.
            return list(moto_app(environ, start_response))
    return moto_app(environ, start_response)


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
