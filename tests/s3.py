"""An S3-compatible server of the test's own: moto's, on loopback. It answers the real S3
HTTP protocol (boto3 and django-storages talk to it as to any bucket) and keeps its
objects in memory, so nothing outlives the test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .reminders.smtp import free_port
from .services import wait_until

BUCKET = "tracker-uploads"
REGION = "eu-north-1"
# moto checks no signatures; the storage signs its requests with these all the same.
KEYS = {"S3_ACCESS_KEY_ID": "tracker-test", "S3_SECRET_ACCESS_KEY": "tracker-test-secret"}


class S3Server:
    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self._client: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        server = Path(sys.executable).parent / "moto_server"
        if not server.exists():
            pytest.fail("moto_server is missing: install the dev dependencies (make install)")
        log = (self.folder / "s3.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's server, fixed arguments
            [str(server), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, 30, "the S3 server to start")
        self.client().create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def _answers(self) -> bool:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.url, timeout=1):  # noqa: S310 - loopback http
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def client(self) -> Any:
        import boto3

        if self._client is None:
            self._client = boto3.client(
                "s3",
                endpoint_url=self.url,
                region_name=REGION,
                aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
                aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
            )
        return self._client

    def stored(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=BUCKET)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def env(self) -> dict[str, str]:
        """What a web process is started with to keep its uploads here."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": self.url,
            "S3_REGION": REGION,
            **KEYS,
        }

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def without_storage_settings(env: dict[str, str]) -> dict[str, str]:
    """The environment less any upload storage settings of the shell that runs the tests."""
    return {
        name: value
        for name, value in env.items()
        if name not in {"STORAGE_BACKEND", "UPLOAD_ROOT"} and not name.startswith("S3_")
    }
