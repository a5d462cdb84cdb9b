"""Reads from aws/data.yaml what an emulator's CloudFormation ignores (moto skips a bucket's
LifecycleConfiguration, CorsConfiguration and a table's TimeToLiveSpecification), for
aws/provision.sh --emulator to apply through the S3 and DynamoDB APIs. The rules stay in the
template, and only there.

    python3 aws/emulator_rules.py lifecycle aws/data.yaml        # S3 API JSON of the bucket's rules
    python3 aws/emulator_rules.py cors aws/data.yaml ORIGINS     # S3 API JSON of its CORS, for the
                                                                 # comma-separated WebOrigins
    python3 aws/emulator_rules.py ttl aws/data.yaml ENVIRONMENT  # "table attribute" per TTL table
"""
import json
import sys

import yaml


class TemplateLoader(yaml.SafeLoader):
    """Reads CloudFormation's short-form intrinsics (!Ref, !Sub ...) as {"Ref": ...} etc."""


def _intrinsic(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        return {name: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: loader.construct_mapping(node, deep=True)}


TemplateLoader.add_multi_constructor("!", _intrinsic)


def resolve(value, parameters):
    """Numbers and !Ref to a parameter's default; anything else is not a local rule's business."""
    if isinstance(value, dict) and "Ref" in value:
        return int(parameters[value["Ref"]]["Default"])
    return value


def s3_rule(rule, parameters):
    out = {"ID": rule["Id"], "Status": rule["Status"]}
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in rule.get("TagFilters", [])]
    prefix = rule.get("Prefix")
    if tags and (prefix is not None or len(tags) > 1):
        out["Filter"] = {"And": {"Prefix": prefix or "", "Tags": tags}}
    elif tags:
        out["Filter"] = {"Tag": tags[0]}
    else:
        out["Filter"] = {"Prefix": prefix or ""}
    expiration = {}
    if "ExpirationInDays" in rule:
        expiration["Days"] = resolve(rule["ExpirationInDays"], parameters)
    if rule.get("ExpiredObjectDeleteMarker"):
        expiration["ExpiredObjectDeleteMarker"] = True
    if expiration:
        out["Expiration"] = expiration
    if "NoncurrentVersionExpiration" in rule:
        out["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": resolve(rule["NoncurrentVersionExpiration"]["NoncurrentDays"], parameters)}
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": resolve(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], parameters)}
    return out


def s3_cors_rule(rule, origins):
    def values(value):
        if isinstance(value, dict) and value.get("Ref") == "WebOrigins":
            return origins
        return list(value)

    out = {"AllowedMethods": values(rule["AllowedMethods"]), "AllowedOrigins": values(rule["AllowedOrigins"])}
    for template_name, api_name in (("Id", "ID"), ("AllowedHeaders", "AllowedHeaders"),
                                    ("ExposedHeaders", "ExposeHeaders"), ("MaxAge", "MaxAgeSeconds")):
        if template_name in rule:
            out[api_name] = rule[template_name] if template_name in ("Id", "MaxAge") else values(rule[template_name])
    return out


def resources(template, kind):
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == kind]


def main(what, path, environment=None):
    with open(path, encoding="utf-8") as template_file:
        template = yaml.load(template_file, Loader=TemplateLoader)  # noqa: S506 - SafeLoader subclass
    parameters = template.get("Parameters", {})
    if what == "lifecycle":
        rules = resources(template, "AWS::S3::Bucket")[0]["LifecycleConfiguration"]["Rules"]
        json.dump({"Rules": [s3_rule(r, parameters) for r in rules]}, sys.stdout, indent=1)
    elif what == "cors":
        origins = [o.strip() for o in environment.split(",") if o.strip()]
        rules = resources(template, "AWS::S3::Bucket")[0]["CorsConfiguration"]["CorsRules"]
        json.dump({"CORSRules": [s3_cors_rule(r, origins) for r in rules]}, sys.stdout, indent=1)
    elif what == "ttl":
        for table in resources(template, "AWS::DynamoDB::Table"):
            ttl = table.get("TimeToLiveSpecification", {})
            if ttl.get("Enabled"):
                name = table["TableName"]["Fn::Sub"].replace("${EnvironmentName}", environment)
                print(name, ttl["AttributeName"])
    else:
        sys.exit(f"unknown: {what} (lifecycle or ttl)")


if __name__ == "__main__":
    main(*sys.argv[1:])
