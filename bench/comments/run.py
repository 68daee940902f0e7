"""Comments benchmark: posting throughput and thread rendering with 5,000 comments on one
article, over HTTP against gunicorn on 127.0.0.1 (loopback only).

    .venv/bin/python bench/comments/run.py [--comments 5000] [--posts 600] [--concurrency 8]

Uses a fresh SQLite database in a temporary folder, or BENCH_DATABASE_URL (e.g.
postgres://postgres@127.0.0.1:5432/masthead_comments_bench, created if missing; its tables
is dropped and created afresh). Bounded: every request has a timeout and the whole run stops after
--max-seconds.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def ms(values):
    return f"p50 {pct(values, 50) * 1000:.1f} ms, p99 {pct(values, 99) * 1000:.1f} ms"


def prepare_environment(args):
    tmp = Path(tempfile.mkdtemp(prefix="masthead-comments-bench-"))
    db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if db_url.startswith("postgres"):
        import psycopg

        base, _, name = db_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "MASTHEAD_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{HERE}:{ROOT}",
        "MASTHEAD_PAGE_CACHE": "false",
    }
    env.pop("REDIS_URL", None)
    env.pop("CACHE_URL", None)
    os.environ.update(env)
    sys.path[:0] = [str(HERE), str(ROOT)]
    return tmp, env, db_url


def seed(args):
    """Migrate, then one article holding `args.comments` comments in realistic threads."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from masthead.comments import services
    from masthead.comments.models import SectionCommentPolicy
    from masthead.members.models import Member
    from tests import factories

    section = factories.section(title="Harbour", slug="harbour")
    SectionCommentPolicy.objects.create(section=section, moderation="post", close_after_days=0)
    story = factories.article(section, title="The harbour bridge debate")
    members = Member.objects.bulk_create(
        [
            Member(
                email=f"reader{i}@example.org",
                display_name=f"Reader {i}",
                confirmed_at=timezone.now(),
            )
            for i in range(args.members)
        ]
    )
    rng = random.Random(7)
    start = timezone.now() - timezone.timedelta(days=1)
    words = [
        "harbour",
        "bridge",
        "council",
        "tolls",
        "ferry",
        "budget",
        "vote",
        "residents",
        "traffic",
        "night",
        "shift",
        "repair",
        "steel",
        "river",
        "crossing",
        "plan",
    ]
    roots = []

    def body(n):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize() + "."
            for _ in range(rng.randint(1, 5))
        ]
        if n % 25 == 0:
            sentences.append("More at https://example.org/harbour/" + str(n))
        return "\n\n".join(sentences)

    # A third are top-level comments, the rest replies at one or two levels.
    from django.db import transaction

    with transaction.atomic():
        _seed_comments(args, story, members, rng, start, body, roots)
        services._recount(story.pk)
    return story, members


def _seed_comments(args, story, members, rng, start, body, roots):
    from django.utils import timezone

    from masthead.comments import text
    from masthead.comments.models import Comment

    created = 0
    while created < args.comments:
        n = created
        is_root = not roots or rng.random() < 0.33
        raw = text.normalise(body(n))
        c = Comment(
            article_id=story.pk,
            member=rng.choice(members),
            display_name=f"Reader {n % args.members}",
            body=raw,
            body_html=text.render(raw),
            body_hash=text.fingerprint(raw + str(n)),
            status="approved",
            submission_key=f"seed-{n}",
            created_at=start + timezone.timedelta(seconds=n * 10),
        )
        if is_root:
            c.save()
            roots.append((c, [c]))
        else:
            root, members_of_thread = rng.choice(roots[-200:])
            parent = rng.choice(members_of_thread)
            c.parent_id, c.root_id = parent.pk, root.pk
            c.save()
            members_of_thread.append(c)
        created += 1


def sessions_for(members):
    from django.contrib.sessions.backends.db import SessionStore

    from masthead.members.selectors import SESSION_KEY

    cookies = []
    for m in members:
        s = SessionStore()
        s[SESSION_KEY] = m.pk
        s.create()
        cookies.append(s.session_key)
    return cookies


def start_server(env, port, workers, threads):
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "masthead.wsgi:application",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    import requests

    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/reader-state/", timeout=10)
            return proc
        except requests.RequestException:
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def timed_gets(session, url, n, deadline):
    times = []
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        t = time.perf_counter()
        r = session.get(url, timeout=60)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    return times, len(r.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=int, default=900)
    args = parser.parse_args()
    deadline = time.monotonic() + args.max_seconds
    tmp, env, db_url = prepare_environment(args)
    print(f"database: {db_url.split('@')[-1]}")
    t = time.perf_counter()
    story, members = seed(args)
    print(
        f"seeded {args.comments} comments on article {story.pk} in {time.perf_counter() - t:.1f} s"
    )

    import requests
    from django.db import connection

    from masthead.comments.models import Comment

    connection.close()
    proc = start_server(env, args.port, args.workers, args.threads)
    base = f"http://127.0.0.1:{args.port}"
    try:
        http = requests.Session()
        print(
            f"\nthread rendering, {args.comments} comments on one article "
            f"(sequential GETs, {args.workers} gunicorn workers):"
        )
        pages = Comment.objects.filter(article_id=story.pk, root__isnull=True).count()
        from masthead.comments import conf

        last = -(-pages // conf.get("COMMENTS_THREADS_PER_PAGE"))
        for label, path in [
            ("thread page 1, oldest first", f"/comments/{story.pk}/"),
            ("thread page 1, newest first", f"/comments/{story.pk}/?sort=newest"),
            (f"thread page {last} (last)", f"/comments/{story.pk}/?page={last}"),
            ("editors' picks", f"/comments/{story.pk}/?sort=picks"),
            ("fragment for the article page", f"/comments/{story.pk}/fragment/"),
        ]:
            timed_gets(http, base + path, 5, deadline)  # warm up
            times, size = timed_gets(http, base + path, args.renders, deadline)
            print(f"  {label:34s} {ms(times)}  ({len(times)} requests, {size // 1024} KiB)")

        print(
            f"\nposting: {args.posts} comments, {args.concurrency} concurrent clients, "
            "each a signed-in member (HTTP POST with CSRF, all anti-abuse checks, stored, "
            "count updated):"
        )
        cookies = sessions_for(members)
        connection.close()
        csrf = "b" * 32
        visible = list(
            Comment.objects.filter(article_id=story.pk).values_list("pk", flat=True)[:2000]
        )
        connection.close()
        rng = random.Random(11)
        jobs = []
        for i in range(args.posts):
            k = i % len(cookies)
            parent = rng.choice(visible) if rng.random() < 0.3 else ""
            jobs.append((i, cookies[k], parent))

        def post(job):
            i, cookie, parent = job
            s = requests.Session()
            s.cookies.set("sessionid", cookie)
            s.cookies.set("csrftoken", csrf)
            t0 = time.perf_counter()
            r = s.post(
                f"{base}/comments/{story.pk}/post/",
                data={
                    "body": f"Benchmark comment {i}: the tolls should fund the repairs.",
                    "display_name": f"Bench {i}",
                    "submission_key": f"bench-{i}",
                    "parent": parent,
                    "csrfmiddlewaretoken": csrf,
                },
                allow_redirects=False,
                timeout=60,
            )
            return time.perf_counter() - t0, r.status_code

        before = Comment.objects.filter(article_id=story.pk).count()
        connection.close()
        t = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(post, jobs))
        wall = time.perf_counter() - t
        codes = {}
        for _, code in results:
            codes[code] = codes.get(code, 0) + 1
        stored = Comment.objects.filter(article_id=story.pk).count() - before
        print(
            f"  {len(results) / wall:.1f} posts/s over {wall:.1f} s; "
            f"latency {ms([r[0] for r in results])}; status {codes}; stored {stored}"
        )
        connection.close()

        http.get(base + f"/comments/{story.pk}/", timeout=60)
        times, size = timed_gets(http, base + f"/comments/{story.pk}/", 50, deadline)
        total = Comment.objects.filter(article_id=story.pk).count()
        print(f"  thread page 1 after posting ({total} comments): {ms(times)}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    # Every comment on one page, in-process: the worst case if pagination were removed.
    from django.test import Client, override_settings

    client = Client()
    with override_settings(COMMENTS_THREADS_PER_PAGE=1_000_000):
        client.get(f"/comments/{story.pk}/")
        times = []
        for _ in range(10):
            t0 = time.perf_counter()
            r = client.get(f"/comments/{story.pk}/")
            times.append(time.perf_counter() - t0)
    print(
        f"\nall {total} comments on a single page (in-process, 10 renders): {ms(times)}, "
        f"{len(r.content) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
