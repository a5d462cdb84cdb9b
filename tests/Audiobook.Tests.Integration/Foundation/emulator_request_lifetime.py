"""The emulator answers a request and lets go of it: an 8 MiB upload part's request (and the body it
read) is freed when its answer is sent, not at some later pass of the garbage collector.

Run by EmulatorRequestLifetimeTests with the emulator's Python, as the AppHost serves it (the IAM gate
in front, the owner's credentials); exits non-zero with the reason.
Usage: python3 emulator_request_lifetime.py PATH_TO_LocalAws"""
import gc
import os
import sys
import weakref

sys.path.insert(0, sys.argv[1])
gc.disable()  # what outlives its answer must show, whenever the collector would have run

import flask
import moto_server
from werkzeug.test import Client

requests = []
created = flask.Request.__init__


def remembered(self, *args, **kwargs):
    created(self, *args, **kwargs)
    requests.append(weakref.ref(self))


flask.Request.__init__ = remembered
owner = "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
client = Client(moto_server.app)
part = os.urandom(8 * 1024 * 1024)
for method, path, body in [("PUT", "/lifetime-bucket", b""), ("PUT", "/lifetime-bucket/part", part),
                           ("GET", "/lifetime-bucket/part", b"")]:
    response = client.open(path, method=method, data=body, headers={"Authorization": owner, "X-Amz-Date": "20261130T000000Z", "Host": "localhost"})
    answered = response.status_code
    response.close()
    del response
    if answered != 200:
        sys.exit(f"{method} {path} answered {answered}")
alive = [r for r in requests if r() is not None]
if not requests or alive:
    sys.exit(f"{len(alive)} of {len(requests)} requests outlived their answers")
print(f"{len(requests)} requests freed when answered")
