"""Backup and restore (SECURITY REL-1): database dump + media archive + SHA-256 manifest.

PostgreSQL: `pg_dump -Fc` / `pg_restore --clean --if-exists` with the configured DATABASES settings.
SQLite: the sqlite3 online-backup API in both directions (a consistent copy while the site runs).
The manifest lists every file's SHA-256 and size and each table's row count, and carries an HMAC
(keyed by SECRET_KEY) so that a file and its recorded checksum cannot be replaced together.
`restore` checks everything before it touches the database.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FORMAT_VERSION = 1
_HMAC_SALT = "guanai.backup.manifest"


class BackupError(Exception):
    """A refusal with a plain Chinese message (shown by the commands as-is)."""


@dataclass
class BackupResult:
    directory: Path
    manifest: dict
    seconds: float
    total_bytes: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    """Row count of every table of the database (sorted by name)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected)
            counts[table] = cursor.fetchone()[0]
    return counts


def _signature(manifest: dict) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "hmac"}, sort_keys=True, ensure_ascii=False)
    return salted_hmac(_HMAC_SALT, body, algorithm="sha256").hexdigest()


def _pg_env_and_args() -> tuple[dict, list[str], str]:
    params = connection.settings_dict
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    args = []
    if params.get("HOST"):
        args += ["-h", str(params["HOST"])]
    if params.get("PORT"):
        args += ["-p", str(params["PORT"])]
    if params.get("USER"):
        args += ["-U", str(params["USER"])]
    return env, args, str(params["NAME"])


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what}失败（退出码 {result.returncode}）：{result.stderr.strip()[:500]}")


def _dump_database(directory: Path) -> str:
    if connection.vendor == "postgresql":
        env, args, name = _pg_env_and_args()
        target = directory / PG_DUMP
        _run(["pg_dump", "-Fc", "--no-owner", "-f", str(target), *args, name], env, "pg_dump 导出")
        return PG_DUMP
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(directory / SQLITE_COPY)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return SQLITE_COPY
    raise BackupError(f"不支持的数据库类型：{connection.vendor}")


def _archive_media(directory: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / MEDIA_ARCHIVE, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)


def backup(directory: Path | str) -> BackupResult:
    """Write a complete backup into `directory` (created; must be empty if it exists)."""
    started = time.monotonic()
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"备份目录 {directory} 不是空目录，请指定新的目录。")
    directory.mkdir(parents=True, exist_ok=True)
    counts = table_counts()
    database_file = _dump_database(directory)
    _archive_media(directory)
    files = {}
    for name in (database_file, MEDIA_ARCHIVE):
        path = directory / name
        files[name] = {"sha256": sha256_of(path), "bytes": path.stat().st_size}
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "database_file": database_file,
        "files": files,
        "tables": counts,
    }
    manifest["hmac"] = _signature(manifest)
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    total = sum(entry["bytes"] for entry in files.values())
    return BackupResult(directory, manifest, time.monotonic() - started, total)


def verify(directory: Path | str) -> dict:
    """The manifest, after checking its signature and every file's checksum; BackupError otherwise."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{directory} 中没有备份清单 {MANIFEST}，拒绝恢复。")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"备份清单无法读取（{exc}），拒绝恢复。") from exc
    if manifest.get("format") != FORMAT_VERSION or not isinstance(manifest.get("files"), dict):
        raise BackupError("备份清单格式不正确，拒绝恢复。")
    if not constant_time_compare(str(manifest.get("hmac", "")), _signature(manifest)):
        raise BackupError("备份清单签名不符（清单被修改，或不是本系统密钥生成的备份），拒绝恢复。")
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(f"备份来自 {manifest.get('vendor')} 数据库，当前是 {connection.vendor}，拒绝恢复。")
    for name, expected in manifest["files"].items():
        path = directory / name
        if Path(name).name != name or not path.is_file():
            raise BackupError(f"备份文件 {name} 缺失，拒绝恢复。")
        if path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"备份文件 {name} 的 SHA-256 校验值与清单不符（文件已损坏或被篡改），拒绝恢复。")
    if manifest.get("database_file") not in manifest["files"] or MEDIA_ARCHIVE not in manifest["files"]:
        raise BackupError("备份清单缺少数据库或附件文件，拒绝恢复。")
    return manifest


def _restore_database(directory: Path, manifest: dict) -> None:
    source = directory / manifest["database_file"]
    if connection.vendor == "postgresql":
        env, args, name = _pg_env_and_args()
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "-d",
                name,
                str(source),
            ],
            env,
            "pg_restore 恢复",
        )
        return
    connection.ensure_connection()  # the live connection: works for files and the in-memory test database
    origin = sqlite3.connect(source)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()


def _restore_media(directory: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        with tarfile.open(directory / MEDIA_ARCHIVE, "r") as archive:
            archive.extractall(staging, filter="data")  # refuses absolute paths, `..`, links out
        old = media_root.with_name(media_root.name + ".before-restore")
        if old.exists():
            shutil.rmtree(old)
        if media_root.exists():
            media_root.rename(old)
        staging.rename(media_root)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def restore(directory: Path | str) -> dict:
    """Verify, then restore database and media; returns the manifest. Row counts are checked after."""
    directory = Path(directory)
    manifest = verify(directory)
    _restore_database(directory, manifest)
    _restore_media(directory)
    counts = table_counts()
    different = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if different:
        raise BackupError(f"恢复后行数与清单不符：{different}")
    return manifest
