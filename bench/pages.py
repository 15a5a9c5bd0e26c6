"""Page benchmark: the real `manage.py serve` under 1, 8 and 32 clients on a big database.

    .venv/bin/python bench/pages.py [--files 100000] [--operations 1000000]
        [--seconds 5] [--levels 1,8,32] [--keep DIR] [--only REGEX] [--no-csv]

Builds a data folder (migrated, then media files over 3 libraries and file
operations in batches of 500, written with executemany in one transaction:
no scan, no files on disk), plans it, backs it up (without a recent backup,
`serve`'s scheduler takes one seconds after it starts, in the middle of the
first pages; its peak RSS, mostly the memory-mapped copy it checks, is printed
apart), creates a user, starts `manage.py serve` on a
free loopback port, logs in like a browser (CSRF cookie and token, session
cookie) and drives each page with keep-alive clients for `--seconds` per page
and level. Prints p50/p95/p99, requests per second, errors and timeouts per
page and level, with the server's CPU time per request (its user+system time
over the run divided by the requests: on a shared machine a steadier figure
than wall times), the server's RSS and peak RSS (VmHWM) after each page, the
CSV export of every operation (time, size, the server's RSS growth while it
streams) and the server's peak RSS at the end.

Targets (issue 13): 1 client p95 <= 100 ms on every page; 8 clients p95 <=
400 ms; 32 clients no error nor timeout; CSV export RSS growth < 50 MB;
server peak RSS <= 400 MB. The bench prints figures; it does not assert.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
USERNAME, PASSWORD = "bench", "bench-password-1234"
BATCH_SIZE = 500  # operations per batch: 1,000,000 operations make 2,000 batches
LIBRARIES = [("TV", "tv", "/bench/tv"), ("Movies", "movies", "/bench/movies")]
LIBRARIES += [("Anime", "anime", "/bench/anime")]
EPISODES_PER_SHOW = 50
REQUEST_TIMEOUT_S = 30.0
TARGET_P95_MS = {1: 100.0, 8: 400.0}
TARGET_CSV_GROWTH_MB = 50
TARGET_PEAK_RSS_MB = 400
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    env["PLEXOMATIC_DATA_DIR"] = str(data_dir)
    return env


def _manage(data_dir: Path, *args: str, **env: str) -> float:
    """Run a management command; returns its peak RSS in MB."""
    child = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**_env(data_dir), **env},
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, ["manage.py", *args])
    return usage.ru_maxrss / 1024


def _stamp(moment: datetime) -> str:
    """A datetime as Django's SQLite backend stores it (UTC, no offset)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _media_rows(files: int):
    """(id, library_id, path, name, media_type, title, year, season, episode, episodes)."""
    for n in range(1, files + 1):
        library = n % 3 + 1
        if library == 1:
            show, number = divmod(n, EPISODES_PER_SHOW * 3)
            title, year, season, episode = f"Show {show:05d}", 2000 + show % 25, 1, number // 3 + 1
            name = f"{title} ({year}) - s{season:02d}e{episode:02d}.mkv"
            path, media_type = f"/bench/tv/{title} ({year})/Season 01/{name}", "TV_SHOW"
        elif library == 2:
            title, year, season, episode = f"Movie {n:06d}", 1950 + n % 75, None, None
            name = f"{title}.{year}.1080p.BluRay.x264.mkv"
            path, media_type = f"/bench/movies/{name}", "MOVIE"
        else:
            show, number = divmod(n, EPISODES_PER_SHOW * 3)
            title, year, season, episode = f"Anime {show:05d}", 2010 + show % 15, 1, number // 3 + 1
            name = f"[Group] {title} - {episode:02d} (1080p).mkv"
            path, media_type = f"/bench/anime/{title}/{name}", "ANIME"
        episodes = json.dumps([episode] if episode else [])
        yield (n, library, path, name, media_type, title, year, season, episode, episodes)


def build(db_path: Path, *, files: int, operations: int) -> None:
    """Fill a migrated database: libraries, media files, batches and their operations."""
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    now = _stamp(WHEN)
    db.executemany(
        "INSERT INTO library_library (id, name, root_path, kind, enabled, last_scan_summary, "
        "created_at, worker_host, listing_digest) VALUES (?, ?, ?, ?, 1, '{}', ?, '', '')",
        [(n, name, root, kind, now) for n, (name, kind, root) in enumerate(LIBRARIES, 1)],
    )
    db.executemany(
        "INSERT INTO library_mediafile (id, library_id, path, name, media_type, title, year, "
        "season, episode, episodes, kind, episode_title, language, forced, sdh, size, mtime, "
        "fingerprint, missing, created_at, updated_at, absolute_episodes, conflict, edition, "
        "episode_fraction, extra_type, folder_said, imdb_id, name_said, recognition_rule, "
        "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'video', '', '', 0, 0, 1000000000, 0, "
        f"'', 0, '{now}', '{now}', '[]', '', '', '', '', '', '', '', '', '')",
        _media_rows(files),
    )
    batches = (operations + BATCH_SIZE - 1) // BATCH_SIZE
    db.executemany(
        "INSERT INTO library_batch (id, kind, note, created_at, library_id, created_by_id, "
        "source_folder) VALUES (?, 'apply', '', ?, ?, NULL, '')",
        [(b, _stamp(WHEN + timedelta(hours=b)), b % 3 + 1) for b in range(1, batches + 1)],
    )
    db.executemany(
        "INSERT INTO library_fileoperation (id, batch_id, media_file_id, original_path, "
        "new_path, operation_type, checksum, status, error, created_at, completed_at, "
        "rolled_back_at, needs_attention, source_key, identity) "
        "VALUES (?, ?, ?, ?, ?, 'rename', 'sample1:1000000000:abc', ?, ?, ?, ?, ?, 0, '', '')",
        _operation_rows(operations, files),
    )
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()


def _operation_rows(operations: int, files: int):
    for n in range(1, operations + 1):
        batch = (n - 1) // BATCH_SIZE + 1
        at = WHEN + timedelta(hours=batch, milliseconds=n % BATCH_SIZE)
        # Most operations completed; one in 50 failed, one in 20 was rolled back.
        status, error, rolled = "completed", "", None
        if n % 50 == 0:
            status, error = "failed", "Permission denied"
        elif n % 20 == 0:
            status, rolled = "rolled_back", _stamp(at + timedelta(days=1))
        media = (n - 1) % files + 1
        yield (
            n,
            batch,
            media,
            f"/bench/incoming/{batch}/release.{n:07d}.mkv",
            f"/bench/renamed/{batch}/Renamed {n:07d}.mkv",
            status,
            error,
            _stamp(at),
            None if status == "failed" else _stamp(at),
            rolled,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status_kb(pid: int, key: str) -> int:
    """VmRSS or VmHWM of one process, in kB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """The process and its descendants (serve runs in one process; this also counts helpers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                queue.extend(int(child) for child in handle.read().split())
        except FileNotFoundError:
            pass
    return found


def tree_kb(pid: int, key: str) -> int:
    return sum(_status_kb(p, key) for p in _tree(pid))


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(pid: int) -> float:
    """User plus system CPU seconds of the process and its descendants so far."""
    ticks = 0
    for current in _tree(pid):
        try:
            with open(f"/proc/{current}/stat") as handle:
                # Fields after the command (which may hold spaces): utime is the 12th.
                fields = handle.read().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


class Client:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.HTTPException):
            self.reconnect()
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, path: str) -> tuple[int, bytes]:
        response = self.request("GET", path)
        return response.status, response.read()

    def reconnect(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S
        )

    def login(self) -> None:
        status, html = self.get("/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert status == 200 and token, f"login page: {status}"
        response = self.request(
            "POST",
            "/login/",
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token[1].decode()},
        )
        response.read()
        assert response.status == 302, f"login refused: {response.status}"


@dataclass
class Level:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    elapsed: float = 0.0


def drive(port: int, cookies: dict[str, str], path: str, clients: int, seconds: float) -> Level:
    """`clients` threads GET `path` in a loop until `seconds` have passed."""
    result = Level()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        client = Client(port, cookies)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, _ = client.get(path)
            except TimeoutError:
                client.reconnect()
                with lock:
                    result.timeouts += 1
                continue
            except (OSError, http.client.HTTPException):
                with lock:
                    result.errors += 1
                continue
            took = time.perf_counter() - started
            with lock:
                if status == 200:
                    result.latencies.append(took)
                else:
                    result.errors += 1
        client.connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result


def _percentile(values: list[float], fraction: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def _verdict(level: int, run: Level, p95_ms: float) -> str:
    if level in TARGET_P95_MS:
        return "ok" if p95_ms <= TARGET_P95_MS[level] else f"MISS (> {TARGET_P95_MS[level]:.0f})"
    return "ok" if not run.errors and not run.timeouts else "MISS (errors/timeouts)"


def csv_export(port: int, cookies: dict[str, str], pid: int) -> str:
    """Stream the whole export once, sampling the server's RSS while it runs."""
    client = Client(port, cookies)
    client.get("/history/")  # warm: the comparison is with a server that has served pages
    before = tree_kb(pid, "VmRSS")
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_kb(pid, "VmRSS"))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    response = client.request("GET", "/history/export.csv")
    size = lines = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        lines += chunk.count(b"\n")
    took = time.perf_counter() - started
    done.set()
    sampler.join()
    growth_mb = (peak - before) / 1024
    verdict = "ok" if growth_mb < TARGET_CSV_GROWTH_MB else "MISS"
    return (
        f"CSV export: HTTP {response.status}, {lines - 1:,} rows, {size / 1e6:.0f} MB in "
        f"{took:.1f} s; server RSS {before / 1024:.0f} -> peak {peak / 1024:.0f} MB, growth "
        f"{growth_mb:.1f} MB (target < {TARGET_CSV_GROWTH_MB}: {verdict})"
    )


def pages(batches: int) -> dict[str, str]:
    show = urllib.parse.urlencode({"title": "Show 00001", "year": 2001})
    return {
        "overview": "/",
        "libraries": "/libraries/",
        "library filtered": "/libraries/1/?media_type=TV_SHOW&sort=title&q=Show&page=3",
        "show": f"/libraries/1/show/?{show}",
        "history (batches)": "/history/?page=2",
        "history (batches, filtered)": "/history/?library=2&date_from=2026-01-10",
        "history (files)": "/history/?view=files&page=20",
        "history (files, filtered)": "/history/?view=files&status=failed&library=2&page=2",
        "batch": f"/history/batch/{max(1, batches // 2)}/?page=3",
        "rename preview p1": "/rename/?library=1",
        "rename preview p200": "/rename/?library=1&page=200",
        # The workbench's search and changed-part filter count every match for "select all".
        "rename preview searched": "/rename/?library=1&q=e05",
        "rename preview changed part": "/rename/?library=1&changed=both&page=2",
        "backups": "/backups/",
        "settings": "/settings/",
    }


def serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=BASE_DIR,
        env=_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=open(data_dir / "serve.log", "ab"),  # noqa: SIM115 (the child keeps it)
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve exited with {process.returncode}; see {data_dir}/serve.log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("serve did not start within 300 s")


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000, help="Media files (100,000).")
    parser.add_argument(
        "--operations", type=int, default=1_000_000, help="File operations (1,000,000)."
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="Seconds per page and level.")
    parser.add_argument("--levels", default="1,8,32", help="Concurrent clients (1,8,32).")
    parser.add_argument("--keep", type=Path, help="Use this data folder and keep it afterwards.")
    parser.add_argument("--only", help="Drive only the pages whose name matches this regex.")
    parser.add_argument("--no-csv", action="store_true", help="Skip the CSV export.")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]

    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="plexomatic-bench-pages-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)  # the site's own check warns about a folder others can read
    db_path = data_dir / "plexomatic.sqlite3"
    process = None
    try:
        if not db_path.exists():
            print(
                f"Building {args.files:,} media files and {args.operations:,} operations "
                f"in {data_dir} …",
                flush=True,
            )
            started = time.perf_counter()
            _manage(data_dir, "migrate", "-v0")
            build(db_path, files=args.files, operations=args.operations)
            # The rename preview reads the stored plan, as a scan would have left it.
            planned = time.perf_counter()
            _manage(data_dir, "plan", "--no-progress")
            print(f"  planned in {time.perf_counter() - planned:.1f} s", flush=True)
            # A verified backup, as a running install has: without one, `serve`'s
            # scheduler takes one within seconds of starting, in the middle of the
            # first pages. Its peak RSS is printed here, apart from the pages'.
            backed_up = time.perf_counter()
            backup_mb = _manage(data_dir, "backup", "--no-progress")
            print(
                f"  backed up in {time.perf_counter() - backed_up:.1f} s, "
                f"peak RSS {backup_mb:.0f} MB",
                flush=True,
            )
            _manage(
                data_dir,
                "createsuperuser",
                "--noinput",
                "--username",
                USERNAME,
                "--email",
                "bench@example.invalid",
                DJANGO_SUPERUSER_PASSWORD=PASSWORD,
            )
            print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
        with sqlite3.connect(db_path) as db:
            counts = [
                db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("library_mediafile", "library_batch", "library_fileoperation")
            ]
        size_mb = db_path.stat().st_size / 1e6
        print(
            f"Database: {size_mb:.0f} MB, {counts[0]:,} media files, {counts[1]:,} batches, "
            f"{counts[2]:,} operations"
        )

        port = _free_port()
        process = serve(data_dir, port)
        login = Client(port)
        login.login()
        cookies = login.cookies
        print(
            f"serve pid {process.pid} on port {port}; RSS after start "
            f"{tree_kb(process.pid, 'VmRSS') / 1024:.0f} MB, peak "
            f"{tree_kb(process.pid, 'VmHWM') / 1024:.0f} MB; {_load()}; {args.seconds:g} s per run"
        )
        print(
            f"{'page':30} {'clients':>7} {'reqs':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'cpu ms':>7} {'err':>4} {'t/o':>4}  target"
        )
        for name, path in pages(counts[1]).items():
            if args.only and not re.search(args.only, name):
                continue
            status, _ = Client(port, cookies).get(path)  # warm (and check) once
            if status != 200:
                print(f"{name:30} HTTP {status} for {path}")
                continue
            for clients in levels:
                cpu_before = tree_cpu_s(process.pid)
                run = drive(port, cookies, path, clients, args.seconds)
                cpu_ms = (tree_cpu_s(process.pid) - cpu_before) * 1000 / max(1, len(run.latencies))
                p50, p95, p99 = (_percentile(run.latencies, f) * 1000 for f in (0.5, 0.95, 0.99))
                print(
                    f"{name:30} {clients:7} {len(run.latencies):6} "
                    f"{len(run.latencies) / run.elapsed:7.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f} "
                    f"{cpu_ms:7.1f} {run.errors:4} {run.timeouts:4}  {_verdict(clients, run, p95)}",
                    flush=True,
                )
            rss, hwm = (tree_kb(process.pid, key) / 1024 for key in ("VmRSS", "VmHWM"))
            print(f"  (server RSS {rss:.0f} MB, peak {hwm:.0f} MB; {_load()})", flush=True)
        if not args.no_csv:
            print(csv_export(port, cookies, process.pid))
        peak_mb = tree_kb(process.pid, "VmHWM") / 1024
        verdict = "ok" if peak_mb <= TARGET_PEAK_RSS_MB else "MISS"
        print(
            f"server peak RSS (VmHWM): {peak_mb:.0f} MB (target <= {TARGET_PEAK_RSS_MB}: {verdict})"
        )
        print(_load())
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=60)
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
