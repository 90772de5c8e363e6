"""Signs one request with botocore's SigV4Auth: the independent implementation Simlane's SigV4 is checked against.

Reads a JSON object on stdin:
  {"method", "url", "headers": [[name, value], ...], "body_base64", "access_key", "secret_key",
   "region", "service", "timestamp": "yyyyMMddTHHmmssZ"}
and prints {"authorization", "canonical_request", "string_to_sign"} as JSON. botocore adds Host and
X-Amz-Date itself and signs every header it is given (except its own blacklist: user-agent, expect, ...).
Used by tests/Simlane.Server.Tests/Actions (SigV4Tests, LambdaExecutorTests); needs python3 with botocore.
"""
import base64
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class CapturingSigV4Auth(botocore.auth.SigV4Auth):
    canonical = None
    to_sign = None

    def string_to_sign(self, request, canonical_request):
        self.canonical = canonical_request
        self.to_sign = super().string_to_sign(request, canonical_request)
        return self.to_sign


def main():
    spec = json.load(sys.stdin)
    fixed = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")

    class FixedDateTime(datetime.datetime):
        # botocore reads the time with utcnow() (older) or now(timezone.utc) (newer): both are pinned.
        @classmethod
        def utcnow(cls):
            return fixed

        @classmethod
        def now(cls, tz=None):
            return fixed.replace(tzinfo=tz) if tz is not None else fixed

    request = AWSRequest(method=spec["method"], url=spec["url"], data=base64.b64decode(spec["body_base64"]))
    for name, value in spec["headers"]:
        request.headers[name] = value  # HTTPHeaders: assignment appends, as a repeated header
    auth = CapturingSigV4Auth(Credentials(spec["access_key"], spec["secret_key"]), spec["service"], spec["region"])
    with mock.patch.object(botocore.auth.datetime, "datetime", FixedDateTime):
        auth.add_auth(request)

    json.dump(
        {
            "authorization": request.headers["Authorization"],
            "amz_date": request.headers["X-Amz-Date"],
            "canonical_request": auth.canonical,
            "string_to_sign": auth.to_sign,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
