"""moto's S3 objects at audiobook sizes: what the project's emulator changes in how moto stores and
serves objects, so 1-5 GB files cost what they cost in S3 (a little), not what moto spends.

moto keeps every object in a spooled temporary file (on disk above a few MB), but:
1. it reads the whole object into memory for every GET, and slices a Range out of that copy: a 64 KiB
   range of a 2 GB object read 2 GB. Here a GET hands moto a lazy body that reads only the bytes
   answered: the range, or the whole object in 1 MiB chunks as the client takes them;
2. it completes a multipart upload by joining the parts in memory (twice, with a checksum over the
   whole), then writing that into a new object: a 5 GiB upload needed >10 GB. Here the parts are
   copied file to file, 1 MiB at a time, into the file the new object is stored with (it appears
   whole, as in S3), and the parts' files are dropped once the object holds them;
3. it answers every ListMultipartUploads with the same "Initiated" date of 2010, so no lifecycle rule
   could tell an abandoned upload from a fresh one. Here an upload remembers when it was started.

install() patches moto in this process (moto_server.py); nothing else of moto changes.
"""
import datetime
import hashlib
import re
import shutil
import tempfile
import threading

from moto.s3 import models, responses
from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML, NoSuchUpload
from moto.settings import S3_UPLOAD_PART_MIN_SIZE

CHUNK = 1024 * 1024
_serving_get = threading.local()
_assembled = threading.local()
_completing = threading.Lock()


class LazyBody:
    """An object's bytes as moto's GET hands them on: sliced (a Range) or iterated (the whole), read
    from the object's file when asked, never all at once."""

    def __init__(self, key):
        self.key = key
        self.length = key.contentsize

    def __len__(self):
        return self.length

    def __bool__(self):
        return self.length > 0

    def read(self, offset, count):
        with self.key.lock:
            self.key._value_buffer.seek(offset)
            return self.key._value_buffer.read(count)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("an object's body is read by ranges only")
        start, stop, _ = index.indices(self.length)
        return self.read(start, max(0, stop - start))

    def __iter__(self):
        for offset in range(0, self.length, CHUNK):
            yield self.read(offset, min(CHUNK, self.length - offset))


def _lazy_value(original):
    def value(self):
        return LazyBody(self) if getattr(_serving_get, "active", False) else original.fget(self)

    def set_value(self, new_value):
        # An assembled multipart object: its file becomes the new key's before the key is stored, so
        # nobody ever sees the object half written.
        prepared = getattr(_assembled, "file", None)
        if prepared is None:
            original.fset(self, new_value)
            return
        _assembled.file = None
        self._value_buffer.close()
        self._value_buffer, self.contentsize, backend, tags = prepared
        # Tagged before it is stored too: a completion racing this one must not see it untagged, remove
        # the (pending) tags, and have them put back after.
        backend.put_object_tagging(self, tags)

    return property(value, set_value)


def _lazy_get_object(original):
    def get_object(self):
        _serving_get.active = True
        try:
            return original(self)
        finally:
            _serving_get.active = False

    return get_object


def _remember_start(original):
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.initiated = datetime.datetime.now(datetime.timezone.utc)

    return __init__


def _listed_with_start_times(original):
    upload = re.compile(r"<Upload>.*?</Upload>", re.S)

    def list_multipart_uploads(self):
        status, headers, body = original(self)
        started = {u.id: u.initiated for u in self.backend.list_multipart_uploads(self.bucket_name).values()
                   if hasattr(u, "initiated")}
        text = body.decode("utf-8") if isinstance(body, bytes) else body

        def with_time(match):
            element = match.group(0)
            found = re.search(r"<UploadId>(.*?)</UploadId>", element)
            when = started.get(found.group(1)) if found else None
            if when is None:
                return element
            stamp = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
            return re.sub(r"<Initiated>.*?</Initiated>", f"<Initiated>{stamp}</Initiated>", element)

        return status, headers, upload.sub(with_time, text)

    return list_multipart_uploads


def complete_multipart_upload(self, bucket_name, multipart_id, body):
    """S3's completion, checked as moto checks it (each named part stored with its ETag, every part but
    the last at least 5 MiB), with the parts copied file to file into the object."""
    bucket = self.get_bucket(bucket_name)
    with _completing:
        multipart = bucket.multiparts.get(multipart_id)
        if multipart is None:
            raise NoSuchUpload(upload_id=multipart_id)
        chosen = []
        for number, etag in body:
            part = multipart.parts.get(number)
            if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
                raise InvalidPart()
            if chosen and chosen[-1].contentsize < S3_UPLOAD_PART_MIN_SIZE:
                raise EntityTooSmall()
            chosen.append(part)
        if not chosen:
            raise MalformedXML()
        digests = b"".join(bytes.fromhex(p.etag.replace('"', "")) for p in chosen)
        etag = f"{hashlib.md5(digests, usedforsecurity=False).hexdigest()}-{len(chosen)}"

        assembled = tempfile.SpooledTemporaryFile(models.get_s3_default_key_buffer_size())
        for part in chosen:
            with part.lock:
                part._value_buffer.seek(0)
                shutil.copyfileobj(part._value_buffer, assembled, CHUNK)
        _assembled.file = (assembled, sum(p.contentsize for p in chosen), self, multipart.tags)
        try:
            key = self.put_object(bucket_name, multipart.key_name, b"", storage=multipart.storage, etag=etag,
                                  multipart=multipart, encryption=multipart.sse_encryption, kms_key_id=multipart.kms_key_id)
        finally:
            _assembled.file = None
        key.set_metadata(multipart.metadata)
        self.put_object_acl(bucket_name=bucket_name, key_name=key.name, acl=multipart.acl, disable_notification=True)
        # The object holds the bytes now: the parts' files go (the part list stays, for HEAD ?partNumber).
        multipart.dispose()
        multipart.parts = {}
        del bucket.multiparts[multipart_id]
        return key


def install():
    models.FakeKey.value = _lazy_value(models.FakeKey.value)
    responses.S3Response.get_object = _lazy_get_object(responses.S3Response.get_object)
    models.FakeMultipart.__init__ = _remember_start(models.FakeMultipart.__init__)
    responses.S3Response.list_multipart_uploads = _listed_with_start_times(responses.S3Response.list_multipart_uploads)
    models.S3Backend.complete_multipart_upload = complete_multipart_upload
