#!/usr/bin/env python3
"""Writes schemas.json from Klaviyo's OpenAPI spec (stable.json, given as the only argument): the request
bodies of the operations the client sends bodies to, and the Get Accounts response, with every $ref
resolved in place (descriptions and examples dropped). Run again when the revision changes."""
import json
import sys

spec = json.load(open(sys.argv[1]))
REQUESTS = ('query_campaign_values', 'query_flow_values', 'query_form_values', 'create_webhook', 'update_webhook')


def ref(pointer):
    node = spec
    for part in pointer.lstrip('#/').split('/'):
        node = node[part]
    return node


def resolve(node):
    if isinstance(node, dict):
        if '$ref' in node:
            return resolve(ref(node['$ref']))
        return {k: resolve(v) for k, v in node.items() if k not in ('description', 'example', 'examples', 'x-klaviyo-pre-release')}
    if isinstance(node, list):
        return [resolve(x) for x in node]
    return node


out = {'requests': {}, 'responses': {}}
for path, operations in spec['paths'].items():
    for method, operation in operations.items():
        if method in ('post', 'patch') and operation['operationId'] in REQUESTS:
            schema = operation['requestBody']['content']['application/vnd.api+json']['schema']
            out['requests'][operation['operationId']] = {'method': method.upper(), 'path': path, 'schema': resolve(schema)}
accounts = spec['paths']['/api/accounts']['get']['responses']['200']['content']['application/vnd.api+json']['schema']
out['responses']['get_accounts'] = {'path': '/api/accounts', 'schema': resolve(accounts)}
json.dump(out, open('schemas.json', 'w'), indent=1, sort_keys=True)
