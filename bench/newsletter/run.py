"""Newsletter benchmark: queue and send an edition to 100,000 subscribers over loopback SMTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masthead_sending .venv/bin/python bench/newsletter/run.py

Measures, on the database in DATABASE_URL (PostgreSQL: the multi-worker figures need it):
  * time to build the outbox for the whole list (one INSERT … SELECT in one transaction);
  * messages/s of real `masthead worker` processes (1, 2, 4) sending that edition to an
    aiosmtpd sink in its own process, over the first --measure messages of each run;
  * the sink's raw speed: smtplib in 1, 2, 4 processes sending the same rendered messages
    straight to the sink, with no database and no Masthead code in the loop;
  * peak memory (VmHWM) of the worker processes and of this process.
Bounded: each send run stops after --measure messages (or --timeout seconds). Loopback only.
"""

import argparse
import multiprocessing
import os
import resource
import smtplib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")
SLUG = "bench-newsletter"


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from masthead.demo.loader import demo_site_exists, load_demo_site

    # Editions carry five real stories with pictures, as a daily briefing would.
    if not demo_site_exists():
        load_demo_site()


def vm_hwm_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def prepare_list(n):
    """The list and n active subscribers, created once and reused by later runs."""
    from django.db import transaction

    from masthead.members.models import Member
    from masthead.newsletter.models import Edition, NewsletterList, OutboxMessage, Subscription

    newsletter, _ = NewsletterList.objects.get_or_create(
        slug=SLUG, defaults={"name": "Benchmark briefing"}
    )
    OutboxMessage.objects.filter(edition__newsletter=newsletter).delete()
    Edition.objects.filter(newsletter=newsletter).delete()
    have = Subscription.objects.filter(newsletter=newsletter, status="active").count()
    if have == n:
        return newsletter
    started = time.perf_counter()
    Subscription.objects.filter(newsletter=newsletter).delete()
    Member.objects.filter(email__startswith="bench-").delete()
    with transaction.atomic():
        for start in range(0, n, 10_000):
            members = Member.objects.bulk_create(
                Member(email=f"bench-{i:06d}@example.org", display_name=f"Reader {i}")
                for i in range(start, min(n, start + 10_000))
            )
            Subscription.objects.bulk_create(
                Subscription(member=m, newsletter=newsletter, status="active") for m in members
            )
    print(f"created {n:,} subscribers in {time.perf_counter() - started:.1f} s (setup, not timed)")
    return newsletter


def new_edition(newsletter):
    from masthead.news.models import ArticlePage
    from masthead.newsletter.models import Edition, EditionArticle

    edition = Edition.objects.create(
        newsletter=newsletter,
        subject="Benchmark briefing",
        intro="Good morning.\n\nThe five stories you need today.",
    )
    for i, article in enumerate(ArticlePage.objects.live()[:5]):
        EditionArticle.objects.create(edition=edition, article=article, sort_order=i)
    return edition


def start_sink(port):
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("sink.py")), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def stop_sink(proc):
    proc.terminate()
    out = proc.communicate(timeout=30)[0]
    return int(out.split()[1])


def start_workers(count, port, log_dir):
    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "NEWSLETTER_PARALLEL_SENDS": str(count),
        "LOG_LEVEL": "WARNING",
    }
    procs = []
    for i in range(count):
        log = open(log_dir / f"worker-{count}-{i}.log", "wb")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "masthead.cli", "worker", "--interval", "0.2"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        )
    return procs


def stop_workers(procs):
    peaks = [vm_hwm_mb(p.pid) for p in procs]
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
    return peaks


def send_run(newsletter, workers, port, measure, timeout, log_dir):
    from django.conf import settings
    from django.db import connection

    from masthead.newsletter import services
    from masthead.newsletter.models import Edition, OutboxMessage

    settings.NEWSLETTER_PARALLEL_SENDS = workers  # one send task per worker process
    procs = start_workers(workers, port, log_dir)
    time.sleep(6)  # workers imported Django and are polling the queue
    edition = new_edition(newsletter)
    started = time.perf_counter()
    queued = services.edition_queue(edition_id=edition.pk)  # commits, then dispatches
    queue_s = time.perf_counter() - started
    sent, t0 = 0, time.perf_counter()
    first_at = None
    while time.perf_counter() - t0 < timeout:
        sent = OutboxMessage.objects.filter(edition=edition, status="sent").count()
        if sent and first_at is None:
            first_at = (time.perf_counter(), sent)
        if sent >= measure:
            break
        time.sleep(0.25)
    elapsed = time.perf_counter() - first_at[0] if first_at else float("nan")
    rate = (sent - first_at[1]) / elapsed if first_at and elapsed > 0 else 0.0
    # Cancel first: a worker told to stop finishes its current task, and a cancelled
    # edition ends that task at its next claim.
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.CANCELLED)
    peaks = stop_workers(procs)
    connection.close()
    return {"queued": queued, "queue_s": queue_s, "sent": sent, "rate": rate, "peaks": peaks}


def rendered_messages(newsletter, count):
    from masthead.newsletter.models import Subscription
    from masthead.newsletter.renderer import edition_render, message_build

    edition = new_edition(newsletter)
    rendered = edition_render(edition=edition)
    subs = list(Subscription.objects.filter(newsletter=newsletter).select_related("member")[:count])
    out = [
        (s.member.email, message_build(rendered=rendered, email=s.member.email, subscription=s))
        for s in subs
    ]
    return [(to, m.from_email, m.message().as_bytes(linesep="\r\n")) for to, m in out]


def _raw_sender(args):
    port, messages = args
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, sender, data in messages:
            smtp.sendmail(sender, [to], data)
    return len(messages)


def raw_run(messages, processes, port):
    chunks = [(port, messages[i::processes]) for i in range(processes)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        sent = sum(pool.map(_raw_sender, chunks))
    return sent / (time.perf_counter() - started)


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1]
    return f"{os.cpu_count()} CPUs ({cpu}); memory: {' '.join(mem.split()[1:3])} total/used"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--measure", type=int, default=20_000, help="messages per send run")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per send run")
    parser.add_argument("--port", type=int, default=8425)
    args = parser.parse_args()

    setup_django()
    from django.conf import settings

    db = settings.DATABASES["default"]
    print(f"machine: {machine()}")
    print(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}")
    newsletter = prepare_list(args.subscribers)
    log_dir = Path(os.environ.get("MASTHEAD_VAR_DIR", ROOT / "var")) / "bench-newsletter"
    log_dir.mkdir(parents=True, exist_ok=True)

    sink = start_sink(args.port)
    try:
        messages = rendered_messages(newsletter, min(args.measure, 10_000))
        size = sum(len(m[2]) for m in messages) / len(messages)
        print(f"message size: {size / 1024:.1f} KiB (multipart text+HTML, per-reader links)")
        print("\nSMTP sink raw speed (smtplib, no database, no Masthead code):")
        raw = {}
        for p in (int(w) for w in args.workers.split(",")):
            raw[p] = raw_run(messages, p, args.port)
            print(f"  {p} sender process(es): {raw[p]:8.0f} msg/s")

        print(f"\nMasthead: edition to {args.subscribers:,} subscribers, real `masthead worker`s")
        for w in (int(w) for w in args.workers.split(",")):
            r = send_run(newsletter, w, args.port, args.measure, args.timeout, log_dir)
            peaks = ", ".join(f"{p:.0f}" for p in r["peaks"] if p)
            print(
                f"  {w} worker(s): outbox of {r['queued']:,} rows built in {r['queue_s']:.2f} s; "
                f"sent {r['sent']:,} at {r['rate']:.0f} msg/s "
                f"({100 * r['rate'] / raw[w]:.0f}% of the sink's raw speed with {w}); "
                f"worker peak RSS MiB: {peaks}"
            )
    finally:
        received = stop_sink(sink)
    print(f"\nsink received {received:,} messages in total")
    print(
        f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
