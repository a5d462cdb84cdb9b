"""TransactWriteItems that costs what its items cost, not what its tables hold.

moto makes a transaction all-or-nothing by deep-copying every table the transaction touches, once
per item, before it starts. Once a table holds thousands of items (a test of a 5,000-chapter book;
a developer's own library) each transaction takes seconds of the emulator's single DynamoDB lane:
measured, the emulator sat at 100 % CPU and grew to 6 GB, and the API's calls behind it timed out
(503) in other tests. DynamoDB's cost does not grow with the table, so neither should the emulator's.

Here only the items the transaction names are copied before it runs, and put back as they were if it
fails; moto's own whole-table copies are skipped. Requests are already served one at a time
(moto_server.py), so nothing else sees the items in between.
"""
import copy

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

_moto_transact_write_items = DynamoDBBackend.transact_write_items


class _TablesUncopied:
    """moto's `copy` module as it sees it, except that a whole table is never deep-copied."""

    def __getattr__(self, name):
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value, memo=None):
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _named_items(backend, transact_items):
    """(table, hash key, range key, the item as it is now or None) for every item the transaction names."""
    named = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            continue
        try:
            if "Item" in op:
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            else:
                key = op["Key"]
            hash_key, range_key = backend.get_keys_value(table, key)
        except Exception:  # a malformed key: moto refuses it before writing anything of it
            continue
        named.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
    return named


def _put_back(named):
    for table, hash_key, range_key, before in reversed(named):
        if before is None:
            table.delete_item(hash_key, range_key)
        elif range_key is not None:
            table.items[hash_key][range_key] = before
        else:
            table.items[hash_key] = before


def transact_write_items(self, transact_items):
    named = _named_items(self, transact_items)
    try:
        return _moto_transact_write_items(self, transact_items)
    except Exception:
        _put_back(named)
        raise


def install():
    dynamodb_models.copy = _TablesUncopied()
    DynamoDBBackend.transact_write_items = transact_write_items
