"""The production-like profile's stand-in for deploying the service stack (aws/service.yaml) to the
emulator: what the stack would give its function and its distribution, made real in the emulator.

- The stack's parameters, from aws/service-parameters.sh: the same code aws/deploy.sh uses, reading
  the environment's deployment state (signing keys, active slot, secrets version) from the emulator.
- An IAM role per identity, holding exactly the policy the AppHost resolved from the templates (the
  function's ApiRole; the distribution's read access from the bucket policy), assumed through STS:
  the function then runs with a role session's credentials, as Lambda runs it, and the emulator
  (LocalAws/iam_gate.py) allows it only what the policy allows.

    python3 service_stack.py --environment local --web-origin ORIGIN \
        --role api=POLICY.json --role cdn=POLICY.json --out service.json

Writes {"parameters": {name: value}, "credentials": {role: {AccessKeyId, SecretAccessKey, SessionToken}}}.
"""
import argparse
import json
import os
import subprocess
import sys

import boto3

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
    "Service": ["lambda.amazonaws.com", "cloudfront.amazonaws.com"]}}]}
# The longest session STS grants; Lambda renews its role's credentials itself, a local run does not.
SESSION_SECONDS = 12 * 3600


def parameters(repository, environment, web_origins):
    command = ["bash", os.path.join(repository, "aws", "service-parameters.sh"), "--environment", environment]
    for origin in web_origins:
        command += ["--web-origin", origin]
    listed = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return {p["ParameterKey"]: p["ParameterValue"] for p in listed}


def role_session(environment, name, policy_file):
    iam, sts = boto3.client("iam"), boto3.client("sts")
    role = f"audiobook-{environment}-{name}"
    with open(policy_file, encoding="utf-8") as source:
        policy = source.read()
    try:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST), MaxSessionDuration=SESSION_SECONDS)
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    iam.put_role_policy(RoleName=role, PolicyName=f"audiobook-{name}", PolicyDocument=policy)
    statements = json.loads(policy)["Statement"]
    print(f"[service] role {role}: {len(statements)} statements "
          f"({', '.join(sorted({a for s in statements for a in ([s['Action']] if isinstance(s['Action'], str) else s['Action'])}))})")
    account = boto3.client("sts").get_caller_identity()["Account"]
    session = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName=name,
                              DurationSeconds=SESSION_SECONDS)["Credentials"]
    return {k: session[k] for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--environment", required=True)
    parser.add_argument("--web-origin", action="append", default=[])
    parser.add_argument("--role", action="append", default=[], help="NAME=POLICY_FILE")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    repository = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

    stack = {"parameters": parameters(repository, args.environment, args.web_origin), "credentials": {}}
    shown = {k: ("(a key)" if k.startswith("PublicKey") and v else v) for k, v in stack["parameters"].items()}
    print(f"[service] parameters from deployment state: {json.dumps(shown)}")
    for role in args.role:
        name, _, policy_file = role.partition("=")
        stack["credentials"][name] = role_session(args.environment, name, policy_file)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(stack, out)
    print(f"[service] ready: {args.out}")


if __name__ == "__main__":
    sys.exit(main())
