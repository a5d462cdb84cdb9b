#!/bin/sh
# Lambda handler (see aws/service.yaml): the Lambda Web Adapter (AWS_LAMBDA_EXEC_WRAPPER) runs this,
# then forwards each invocation to Kestrel on 127.0.0.1:8080 — the same app as everywhere else.
exec dotnet Audiobook.Api.dll
