"""The benchmark driver: seed a fresh database, serve it with gunicorn, drive every endpoint
with wrk from a separate process, and report requests per second as a ratio to /healthz.

Run it with bench/run (see bench/README.md). Speed is compared only within one run on one
machine: /healthz, measured in the same rounds, is the framework's ceiling there.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import stamp

from bench.endpoints import ENDPOINTS, HEALTHZ, SYNC_BATCH, Endpoint
from bench.seed import SCALES, Seeded, seed
from learning import create_app
from learning.extensions import db

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "lua"
RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent
# Each run makes its own database, named after its work folder, so runs at once do not collide.
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/"

# Per scale: seconds per wrk run, and runs (rounds over every endpoint) for the median.
LOAD = {"small": (3, 3), "large": (10, 3)}


@dataclass(frozen=True)
class Settings:
    """One run's choices, from the command line."""

    db: str
    scale: str
    duration: int
    runs: int
    connections: int
    only: tuple[str, ...]
    results: Path
    redis: str | None
    keep: bool


def parse_arguments(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (small 3, large 10)")
    parser.add_argument("--runs", type=int, help="rounds over every endpoint (default 3)")
    parser.add_argument(
        "--connections", type=int, default=4, help="open connections wrk keeps (default 4)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated endpoint names (healthz always runs)"
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="where to write the JSON results"
    )
    parser.add_argument(
        "--redis", metavar="URL", help="serve content from Redis (CONTENT_CACHE_URL) at URL"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the work folder afterwards"
    )
    args = parser.parse_args(argv)
    duration, runs = LOAD[args.scale]
    return Settings(
        db=args.db,
        scale=args.scale,
        duration=args.duration or duration,
        runs=args.runs or runs,
        connections=args.connections,
        only=tuple(name.strip() for name in args.only.split(",") if name.strip()),
        results=args.results,
        redis=args.redis,
        keep=args.keep,
    )


def say(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def _maintenance():
    return psycopg.connect(
        host="127.0.0.1", port=5432, user="postgres", dbname="postgres", autocommit=True
    )


@contextmanager
def fresh_database(settings: Settings, workdir: Path):
    """A new, empty database for this run, removed afterwards unless --keep."""
    if settings.db == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    url = sa.make_url(POSTGRES).set(database=workdir.name.replace("-", "_"))
    with _maintenance() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{url.database}"')
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        if not settings.keep:
            with _maintenance() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def server_environment(database_url: str, settings: Settings) -> dict[str, str]:
    """Production settings with secrets made for this run."""
    environment = {
        **os.environ,
        "CARBONLIT_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
    }
    environment.pop("CONTENT_CACHE_URL", None)
    if settings.redis:
        environment["CONTENT_CACHE_URL"] = settings.redis
    return environment


def migrate(environment: dict[str, str]) -> str:
    """flask db upgrade; while the models are ahead of the migrations (other domains' work
    not migrated yet), the schema is built from the models instead, as the test suite does,
    and the results say so."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "learning", "db", "upgrade"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr}")
    app = make_app(environment)
    with app.app_context():
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        if differences:
            db.drop_all()
            db.create_all()
            stamp()
        db.engine.dispose()
    if not differences:
        return "migrations (flask db upgrade)"
    return (
        f"built from the models: they differ from the migrations in {len(differences)} "
        f"ways, e.g. {differences[0]!r}"[:300]
    )


def make_app(environment: dict[str, str]):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": environment["DATABASE_URL"],
            "SECRET_KEY": environment["SECRET_KEY"],
            "JWT_SECRET_KEY": environment["JWT_SECRET_KEY"],
        }
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(environment: dict[str, str], workdir: Path):
    """The app under gunicorn, sync workers as many as cores, its logs in the work folder."""
    port = free_port()
    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(os.cpu_count()),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "learning:create_app({'RATELIMIT_ENABLED': False})",
        ],
        env=environment,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {workdir / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def write_lines(workdir: Path, endpoint: Endpoint, seeded: Seeded) -> Path:
    path = workdir / f"{endpoint.name.replace(' ', '_').replace('(', '').replace(')', '')}.txt"
    path.write_text("\n".join(endpoint.lines(seeded)) + "\n", encoding="utf-8")
    return path


def check(base: str, endpoint: Endpoint, lines: Path) -> str:
    """Send the endpoint's first request once and insist on a 2xx: wrk would happily measure
    errors at great speed. Returns what it saw, for the log."""
    fields = lines.read_text(encoding="utf-8").splitlines()[0].split("\t")
    if endpoint.method == "GET":
        path, token = fields[0], fields[1] if len(fields) > 1 else ""
        body = None
    else:
        token, course, lessons = fields
        path = endpoint.path
        events = [
            {
                "id": f"{secrets.token_hex(4)}-0000-4000-8000-{secrets.token_hex(6)}",
                "course": course,
                "lesson": lesson,
                "verb": "started",
                "at": datetime.now(UTC).isoformat(),
            }
            for lesson in lessons.split(",")[:SYNC_BATCH]
        ]
        body = json.dumps({"events": events}).encode()
    request = urllib.request.Request(f"{base}{path}", data=body, method=endpoint.method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            content = json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise RuntimeError(
            f"{endpoint.name}: {endpoint.method} {path} answered {error.code}: {error.read()!r}"
        ) from None
    if "results" in content:
        statuses = [result["status"] for result in content["results"]]
        if "accepted" not in statuses:
            raise RuntimeError(f"{endpoint.name}: no event was accepted: {content['results']}")
        return f"{statuses.count('accepted')} of {len(statuses)} events accepted"
    return "200"


def wrk(base: str, endpoint: Endpoint, lines: Path, settings: Settings, seconds: int) -> dict:
    """One bounded wrk run; its Lua script prints one JSON line at the end."""
    environment = {
        **os.environ,
        "BENCH_LUA": str(LUA),
        "BENCH_REQUESTS": str(lines),
        "BENCH_SEED": str(secrets.randbelow(2**31)),
        "BENCH_BATCH": str(SYNC_BATCH),
    }
    done = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(settings.connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--script",
            str(LUA / endpoint.script),
            base,
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    summary = json.loads(
        next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{"))
    )
    seconds_run = summary["duration_us"] / 1e6
    good = summary["requests"] - summary["status_errors"]
    return {
        "rps": round(good / seconds_run, 1),
        "p50_ms": round(summary["p50_us"] / 1000, 2),
        "p99_ms": round(summary["p99_us"] / 1000, 2),
        "requests": summary["requests"],
        "status_errors": summary["status_errors"],
        "socket_errors": summary["socket_errors"],
    }


def summarise(endpoint: Endpoint, runs: list[dict], ceiling: float, database: str) -> dict:
    rps = statistics.median(run["rps"] for run in runs)
    ratio = rps / ceiling if ceiling else 0.0
    target = endpoint.target_on(database)
    result = {
        "name": endpoint.name,
        "method": endpoint.method,
        "path": endpoint.path,
        "rps": round(rps, 1),
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p99_ms": statistics.median(run["p99_ms"] for run in runs),
        "ratio": round(ratio, 3),
        "target": target,
        "errors": sum(run["status_errors"] + run["socket_errors"] for run in runs),
        "runs": runs,
    }
    if target is not None:
        result["meets_target"] = ratio >= target
    if endpoint.events_per_request:
        result["events_per_s"] = round(rps * endpoint.events_per_request, 1)
        result["events_target"] = endpoint.events_target
        result["meets_target"] = result["events_per_s"] >= (endpoint.events_target or 0)
    return result


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def git_commit() -> dict:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    # Earlier runs' result files are not changes to what is measured.
    changed = git("status", "-s", "--", ".", ":(exclude)bench/results")
    return {"commit": git("rev-parse", "HEAD"), "uncommitted_changes": bool(changed)}


def database_version(environment: dict[str, str]) -> str:
    engine = sa.create_engine(environment["DATABASE_URL"])
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            version = "SQLite " + connection.exec_driver_sql("select sqlite_version()").scalar()
        else:
            version = connection.exec_driver_sql("show server_version").scalar()
            version = f"PostgreSQL {version}"
    engine.dispose()
    return version


def print_table(results: list[dict]) -> None:
    header = (
        f"{'endpoint':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} "
        f"{'target':>7} {'events/s':>9}  ok"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        target = result.get("events_target") or result.get("target")
        events = result.get("events_per_s")
        met = result.get("meets_target")
        print(
            f"{result['name']:28} {result['rps']:9.1f} {result['p50_ms']:8.2f} "
            f"{result['p99_ms']:8.2f} {result['ratio']:7.3f} "
            f"{'' if target is None else target:>7} {'' if events is None else events:>9}  "
            f"{'' if met is None else ('yes' if met else 'NO')}"
            + (f"  ({result['errors']} errors)" if result["errors"] else "")
        )


def main(argv: list[str]) -> int:
    settings = parse_arguments(argv)
    scale = SCALES[settings.scale]
    endpoints = [
        endpoint
        for endpoint in ENDPOINTS
        if endpoint is HEALTHZ or not settings.only or endpoint.name in settings.only
    ]
    workdir = Path(tempfile.mkdtemp(prefix="carbonlit-bench-"))
    say(f"{settings.db}, scale {settings.scale}; work folder {workdir}")
    try:
        with fresh_database(settings, workdir) as database_url:
            environment = server_environment(database_url, settings)
            schema = migrate(environment)
            say(f"database {sa.make_url(database_url).render_as_string()}; schema: {schema}")
            started = time.monotonic()
            app = make_app(environment)
            seeded = seed(app, scale)
            with app.app_context():
                db.engine.dispose()
            seed_seconds = round(time.monotonic() - started, 1)
            say(f"seeded in {seed_seconds} s: {seeded.counts}")
            lines = {e.name: write_lines(workdir, e, seeded) for e in endpoints}
            with gunicorn(environment, workdir) as base:
                for endpoint in endpoints:
                    seen = check(base, endpoint, lines[endpoint.name])
                    wrk(base, endpoint, lines[endpoint.name], settings, seconds=1)
                    say(f"checked and warmed up {endpoint.name}: {seen}")
                runs: dict[str, list[dict]] = {endpoint.name: [] for endpoint in endpoints}
                load_before = os.getloadavg()
                for round_number in range(1, settings.runs + 1):
                    for endpoint in endpoints:
                        run = wrk(base, endpoint, lines[endpoint.name], settings, settings.duration)
                        runs[endpoint.name].append(run)
                    say(f"round {round_number} of {settings.runs} done")
                load_after = os.getloadavg()
            version = database_version(environment)
    finally:
        if not settings.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    ceiling = statistics.median(run["rps"] for run in runs[HEALTHZ.name])
    results = [
        summarise(endpoint, runs[endpoint.name], ceiling, settings.db) for endpoint in endpoints
    ]
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        **git_commit(),
        "machine": machine(),
        "database": version,
        "content_cache": "redis" if settings.redis else "in process",
        "scale": settings.scale,
        "seeded": seeded.counts,
        "seed_seconds": seed_seconds,
        "schema": schema,
        "load": {
            "tool": "wrk",
            "threads": 1,
            "connections": settings.connections,
            "seconds_per_run": settings.duration,
            "runs": settings.runs,
            "gunicorn_sync_workers": os.cpu_count(),
            # Other work on the machine skews even ratios: a load far above the cores says so.
            "load_average_before": [round(value, 2) for value in load_before],
            "load_average_after": [round(value, 2) for value in load_after],
        },
        "ceiling_rps": ceiling,
        "endpoints": results,
    }
    settings.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = settings.results / f"{settings.scale}-{settings.db}-{stamp}.json"
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print()
    print_table(results)
    print(f"\n{settings.db}, scale {settings.scale}: results in {path}")
    return 1 if any(result["errors"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
