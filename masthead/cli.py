"""The `masthead` command: run the demo, the web server and the background worker.

Anything else is passed to Django's manage.py (`masthead migrate`, `masthead createsuperuser`).
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time

DEFAULT_SETTINGS = "masthead.settings.dev"
SCHEDULER_INTERVAL = 10  # seconds between the worker's scheduled jobs (expiry, newsletter)
SCHEDULER_POLL = 1.0  # seconds between looks for the next scheduled go-live time


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _manage(*args, **options):
    from django.core.management import call_command

    call_command(*args, **options)


def _ensure_data_dirs():
    """A fresh clone has no ./var yet; SQLite and local media need it before any command."""
    from django.conf import settings

    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        os.makedirs(os.path.dirname(db["NAME"]), exist_ok=True)


def _prepare(*, quiet=False):
    """Create the data folder, apply migrations and collect static files."""
    _ensure_data_dirs()
    _manage("migrate", "--no-input", verbosity=0 if quiet else 1)
    _manage("collectstatic", "--no-input", verbosity=0)


SERVERS = ("granian", "gunicorn")


def server_command(host, port, workers, *, server=None, threads=None):
    """The production web server: granian by default (measured in docs/performance.md).

    MASTHEAD_SERVER=gunicorn selects gunicorn's threaded workers instead; WEB_THREADS sets
    threads per worker process for either.
    """
    server = server or os.environ.get("MASTHEAD_SERVER", "granian")
    # One thread per process: a second one contends for the GIL on every miss
    # (docs/performance.md, eleventh session: 315 against 242 kept misses/s at -c50).
    threads = threads or int(os.environ.get("WEB_THREADS", "1"))
    if server == "gunicorn":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "masthead.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
        ]
    if server != "granian":
        raise SystemExit(f"Unknown MASTHEAD_SERVER {server!r}: choose one of {', '.join(SERVERS)}.")
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--log-level",
        "warning",
        "masthead.wsgi:application",
    ]


def worker_command(*, quiet=False):
    return [sys.executable, "-m", "masthead.cli", "worker", *(["--quiet"] if quiet else [])]


def cmd_demo(args):
    _setup_django()
    print("Preparing the database under", _describe_database())
    _prepare(quiet=True)
    _manage("load_demo")
    print(f"\nThe demo site is at http://{args.host}:{args.port}/ (admin: /admin/).")
    print("Press Ctrl+C to stop.\n")
    _run_together(
        [server_command(args.host, args.port, args.workers), worker_command(quiet=True)],
    )


def _describe_database():
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"{db['NAME']} (SQLite)"
    return (
        f"{db.get('NAME')} on {db.get('HOST') or 'localhost'} ({db['ENGINE'].rsplit('.', 1)[-1]})"
    )


def _run_together(commands):
    """Run the web server and worker side by side; stop both when either ends or on Ctrl+C."""
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    procs = [subprocess.Popen(cmd, env=env) for cmd in commands]

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return max((p.returncode or 0) for p in procs)


def cmd_serve(args):
    _setup_django()
    if not args.no_prepare:
        _prepare(quiet=True)
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    return subprocess.call(server_command(args.host, args.port, args.workers), env=env)


def scheduler_tick():
    """One pass: purges the page cache could not make while its store was down, pages to
    publish/unpublish on schedule, the newsletter's periodic check (scheduled editions,
    daily digests, sends whose worker died), then kept page parts too old to be used.

    A job that fails is logged and the others still run: a story that cannot go live
    must not hold back a scheduled edition. False if any failed."""
    from masthead.delivery.services import expired_fragments_drop, pending_purges_replay
    from masthead.news.services import scheduled_pages_publish
    from masthead.newsletter.services import newsletter_run_scheduled

    ran = [
        _run_job(job)
        for job in (
            pending_purges_replay,
            scheduled_pages_publish,
            newsletter_run_scheduled,
            expired_fragments_drop,
        )
    ]
    return all(ran)


def _run_job(job):
    """Run one scheduled job; a failure is logged (the next tick tries again). True if it ran."""
    import logging

    try:
        job()
    except Exception:  # noqa: BLE001 - logged; the next tick tries again
        logging.getLogger("masthead.scheduler").exception("Scheduled job %s failed", job.__name__)
        return False
    return True


def _read_or_none(read):
    """What `read` returns, or None when the database cannot say (the tick logs outages)."""
    from django.db import DatabaseError

    try:
        return read()
    except DatabaseError:
        return None


def scheduler_loop(stop_event, interval, poll=SCHEDULER_POLL):
    """Run scheduler_tick now and every `interval` seconds until stop_event is set.

    Between ticks a scheduled page goes live at its go-live time, not at the next tick:
    every `poll` seconds the loop reads the next go-live time (so a story scheduled a moment
    ago is seen too) and wakes for it. Expiry times are read at each tick and kept too."""
    from django.db import close_old_connections
    from django.utils import timezone

    from masthead.news import selectors, services

    while True:
        scheduler_tick()
        next_tick = time.monotonic() + interval
        expiry = _read_or_none(selectors.next_expiry)
        # A page still due after a publish (another worker holds the scheduler) is tried
        # again after a poll, not at once. After a failure (logged) the next tick tries
        # again: the log has a line a tick, not one a second.
        tried = failed = False
        while (left := next_tick - time.monotonic()) > 0:
            times = [t for t in (_read_or_none(selectors.next_go_live), expiry) if t]
            due = (min(times) - timezone.now()).total_seconds() if times else None
            if due is not None and due < 0 and not (tried or failed):
                tried = True
                failed = not _run_job(services.scheduled_pages_publish)
                expiry = _read_or_none(selectors.next_expiry)
                continue
            tried = False
            wait = min(left, poll)
            if due is not None and due >= 0:
                # Just past the time: Wagtail publishes what is due strictly before now.
                wait = min(wait, due + 0.001)
            if stop_event.wait(wait):
                return
            # As at the end of a request: drop connections that broke or outlived CONN_MAX_AGE.
            close_old_connections()


def cmd_worker(args):
    _setup_django()
    from django.core.management import call_command

    stop_event = threading.Event()
    thread = threading.Thread(
        target=scheduler_loop, args=(stop_event, args.schedule_interval), daemon=True
    )
    thread.start()
    if args.quiet:
        import logging

        for name in ("django_tasks", "django_tasks_db"):
            logging.getLogger(name).addFilter(lambda record: record.levelno >= logging.WARNING)
    try:
        call_command("db_worker", queue_name="*", interval=args.interval, reload=False)
    finally:
        stop_event.set()


def build_parser():
    parser = argparse.ArgumentParser(
        prog="masthead",
        description="Masthead news platform. Commands not listed here go to Django's manage.py.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="Migrate, load the demo site (once), create an admin, serve with the worker.",
        description="Prepare the database, load the demo site if it is not there yet, and "
        "serve it with the background worker. Existing data is kept.",
    )
    serve = sub.add_parser(
        "serve",
        help="Run the production web server (granian; MASTHEAD_SERVER=gunicorn for gunicorn).",
        description="Apply migrations, collect static files and run the web server.",
    )
    for p in (demo, serve):
        p.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("MASTHEAD_PORT", "8000")))
        p.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="web server processes (default: WEB_CONCURRENCY or 2)",
        )
    serve.add_argument("--no-prepare", action="store_true", help="skip migrate and collectstatic")
    demo.set_defaults(func=cmd_demo)
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker",
        help="Run background tasks and scheduled publishing.",
        description="Process the task queue (purges, indexing, newsletter sends), publish "
        "pages at their scheduled go-live time, unpublish expired ones, and replay the "
        "page-cache purges made while Redis was down.",
    )
    worker.add_argument(
        "--interval", type=float, default=1.0, help="seconds between queue polls when idle"
    )
    worker.add_argument(
        "--quiet", action="store_true", help="log only failed tasks, not every task run"
    )
    worker.add_argument(
        "--schedule-interval",
        type=float,
        default=SCHEDULER_INTERVAL,
        help="seconds between the scheduled jobs: expiry times, newsletter editions and "
        "digests, purges replayed (go-live times are looked for every second)",
    )
    worker.set_defaults(func=cmd_worker)
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    known = {"demo", "serve", "worker", "-h", "--help"}
    if not argv or argv[0] in known:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        return args.func(args) or 0
    _setup_django()
    _ensure_data_dirs()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masthead", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
