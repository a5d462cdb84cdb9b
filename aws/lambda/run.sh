#!/bin/sh
# Lambda handler (see aws/service.yaml): the Lambda Web Adapter (AWS_LAMBDA_EXEC_WRAPPER) runs this,
# then forwards each invocation to Kestrel on 127.0.0.1:8080 — the same app as everywhere else, here
# its Native AOT build. Its content root (appsettings*.json, wwwroot) is the package's folder.
cd "$(dirname "$0")" || exit 1
exec ./Audiobook.Api
