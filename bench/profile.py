"""Profile one endpoint in-process with pyinstrument, against a database kept by bench/run --keep.

    .venv/bin/python -m bench.profile --database sqlite:////tmp/carbonlit-bench-x/bench.sqlite3 \\
        --path "/api/v1/courses/carbon-literacy-brussels" --as-user 5

The app runs in this process with the Flask test client (no gunicorn, no wrk), so the profile
shows where one request's time goes; --sync sends batches of new events to the sync instead.
--lines replays a GET endpoint's request lines from the work folder (path and token per line,
as wrk sends them), so that answers a process keeps are looked up as often as under wrk.
"""

import argparse
import itertools
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from flask_jwt_extended import create_access_token
from pyinstrument import Profiler

from bench.endpoints import SYNC_BATCH
from learning import create_app

VERBS = ("started", "started", "position", "position", "completed")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a seeded database")
    parser.add_argument("--path", help="the GET to profile")
    parser.add_argument("--lines", help="a GET endpoint's request lines, from a kept work folder")
    parser.add_argument("--sync", metavar="COURSE:LESSON,LESSON", help="profile the sync")
    parser.add_argument("--as-user", type=int, help="send an access token of this user id")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    if sum(map(bool, (args.path, args.sync, args.lines))) != 1:
        parser.error("give one of --path, --sync and --lines")
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "RATELIMIT_ENABLED": False})
    headers = {}
    if args.as_user:
        with app.app_context():
            headers["Authorization"] = f"Bearer {create_access_token(identity=str(args.as_user))}"
    client = app.test_client()
    replayed = itertools.cycle(_replayed(app, Path(args.lines)) if args.lines else [])

    def send():
        if args.lines:
            path, line_headers = next(replayed)
            return client.get(path, headers=line_headers)
        if args.path:
            return client.get(args.path, headers=headers)
        course, _, lessons = args.sync.partition(":")
        now = datetime.now(UTC)
        events = [
            {
                "id": str(uuid.uuid4()),
                "course": course,
                "lesson": random.choice(lessons.split(",")),
                "verb": random.choice(VERBS),
                "at": (now - timedelta(seconds=random.randint(0, 3600))).isoformat(),
            }
            for _ in range(SYNC_BATCH)
        ]
        return client.post("/api/v1/progress/events", json={"events": events}, headers=headers)

    first = send()
    if first.status_code >= 300:
        print(f"{first.status_code}: {first.get_data(as_text=True)[:500]}", file=sys.stderr)
        return 1
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.requests):
        send()
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False))
    return 0


def _replayed(app, lines: Path) -> list[tuple[str, dict]]:
    """The request lines' paths, each with its token signed again with this app's key (the
    run's key is not kept) and the same claims."""
    signed: dict[str, str] = {}
    replayed = []
    with app.app_context():
        for line in lines.read_text(encoding="utf-8").splitlines():
            path, _, token = line.partition("\t")
            if token and token not in signed:
                claims = jwt.decode(token, options={"verify_signature": False})
                signed[token] = create_access_token(
                    identity=claims["sub"], additional_claims={"gen": claims.get("gen", 0)}
                )
            replayed.append((path, {"Authorization": f"Bearer {signed[token]}"} if token else {}))
    return replayed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
