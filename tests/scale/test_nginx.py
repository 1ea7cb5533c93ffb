"""nginx in front of several app servers (issue 11 §3): the shipped
``deploy/nginx/motcua-cluster.conf``, with only its addresses, ports and paths substituted,
run by a real nginx in front of two gunicorn processes sharing Redis and a database.

Clients connect from their own loopback addresses (127.0.0.5, 127.0.0.6), nginx reaches the
app servers from 127.0.0.1, which the app servers trust (TRUSTED_PROXIES): the rate limit is
keyed on the client's address, and a forged X-Forwarded-For changes nothing.
"""

from __future__ import annotations

import http.client
import re
import shutil
import ssl
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.scale.conftest import ROOT, AppServer, base_env, free_port, start_app, stop, wait_until

HOST = "motcua.example.gov.vn"
CONF = ROOT / "deploy/nginx/motcua-cluster.conf"
TRACKING_LIMIT = 2


@dataclass
class Proxy:
    http_port: int
    https_port: int
    apps: list[AppServer]
    static: Path

    def request(
        self,
        path: str,
        *,
        source: str = "127.0.0.5",
        method: str = "GET",
        headers: dict | None = None,
        tls: bool = True,
    ) -> http.client.HTTPResponse:
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's self-signed certificate
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, source_address=(source, 0), context=context
            )
        else:
            conn = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, source_address=(source, 0)
            )
        conn.request(method, path, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        return response


def _config(apps: list[AppServer], http_port: int, https_port: int, tmp: Path) -> str:
    text = CONF.read_text()
    upstreams = "".join(
        f"    server 127.0.0.1:{a.port} max_fails=3 fail_timeout=10s;\n" for a in apps
    )
    text, n = re.subn(r"(    server 10\.0\.0\.\d+:8000 [^\n]*\n)+", upstreams, text)
    assert n == 1
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/ssl/certs/motcua.example.gov.vn.pem", str(tmp / "cert.pem")),
        ("/etc/ssl/private/motcua.example.gov.vn.key", str(tmp / "key.pem")),
        ("/var/lib/motcua/static/", f"{tmp / 'static'}/"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def proxy(app_db, redis_server) -> Iterator[Proxy]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx not found (apt package nginx)"
    tmp = Path(tempfile.mkdtemp(prefix="motcua-nginx-"))
    tmp.chmod(0o755)  # nginx's workers (nobody) read the static files and certificate
    (tmp / "static/motcua").mkdir(parents=True)
    (tmp / "static/motcua/probe.css").write_text("body{color:#123}\n")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOST}", "-keyout", str(tmp / "key.pem")),
            *("-out", str(tmp / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    env = base_env(
        app_db.tmp,
        app_db.url,
        REDIS_URL=redis_server.url,
        TRACKING_PER_HOUR=str(TRACKING_LIMIT),
        TRUSTED_PROXIES="127.0.0.1",
        SECURE_SSL="true",
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
    )
    apps = [start_app(env, app_db.tmp), start_app(env, app_db.tmp)]
    http_port, https_port = free_port(), free_port()
    (tmp / "motcua-cluster.conf").write_text(_config(apps, http_port, https_port, tmp))
    (tmp / "nginx.conf").write_text(
        f"""
worker_processes 1;
error_log {tmp}/error.log warn;
pid {tmp}/nginx.pid;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/motcua-cluster.conf;
}}
"""
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen(
        [
            *(nginx, "-p", str(tmp), "-e", str(tmp / "error.log")),
            *("-c", str(tmp / "nginx.conf"), "-g", "daemon off;"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy = Proxy(http_port, https_port, apps, tmp / "static")
    try:

        def up() -> bool:
            assert proc.poll() is None, (tmp / "error.log").read_text()
            try:
                return proxy.request("/healthz", tls=False).status == 200
            except OSError:
                return False

        wait_until(up, what="nginx")
        yield proxy
    finally:
        stop(proc)  # nginx first: no request reaches an app server that is stopping
        stop(*(app.proc for app in apps))
        shutil.rmtree(tmp, ignore_errors=True)


def _served(app: AppServer, path: str) -> int:
    return app.log.read_text(errors="replace").count(f'"GET {path} ')


def test_pages_are_served_through_nginx_and_balanced_over_the_app_servers(proxy):
    path = "/thu-tuc/1.004884/"
    for _ in range(6):
        response = proxy.request(path)
        assert response.status == 200
        assert "Thủ tục đăng ký lại khai sinh" in response.body.decode()
    # (an access-log line is written just after its response is sent: poll for the last one)
    wait_until(lambda: sum(_served(app, path) for app in proxy.apps) >= 6, what="access logs")
    served = [_served(app, path) for app in proxy.apps]
    assert sum(served) == 6 and all(n >= 2 for n in served), served  # round robin
    # plain HTTP is redirected to HTTPS by nginx; the app saw X-Forwarded-Proto: https, so it
    # does not redirect again (SECURE_SSL=true)
    plain = proxy.request(path, tls=False)
    assert plain.status == 301 and plain.getheader("Location") == f"https://{HOST}{path}"
    assert "Strict-Transport-Security" in dict(proxy.request(path).getheaders())


def test_static_files_come_from_nginx_not_the_app_servers(proxy):
    response = proxy.request("/static/motcua/probe.css")
    assert response.status == 200 and response.body == b"body{color:#123}\n"
    assert "immutable" in response.getheader("Cache-Control")
    assert all(_served(app, "/static/motcua/probe.css") == 0 for app in proxy.apps)


def test_the_rate_limit_is_keyed_on_the_client_behind_the_proxy(proxy):
    query = "/tra-cuu/?code=000.01.21.H13-250124-0001&digits=0000"
    answers = [proxy.request(query, source="127.0.0.5").status for _ in range(TRACKING_LIMIT)]
    assert answers == [200] * TRACKING_LIMIT  # one on each app server (round robin)
    # over the limit, even with a forged X-Forwarded-For (nginx appends the real address)
    forged = proxy.request(query, source="127.0.0.5", headers={"X-Forwarded-For": "203.0.113.9"})
    assert forged.status == 429
    # another client, through the same proxy, is counted apart
    assert proxy.request(query, source="127.0.0.6").status == 200


def test_an_upload_over_the_limit_is_refused_by_nginx(proxy):
    response = proxy.request(
        "/tra-cuu/",
        method="POST",
        headers={"Content-Length": str(30 * 1024 * 1024), "Content-Type": "text/plain"},
    )
    assert response.status == 413
    assert all("POST /tra-cuu/" not in app.log.read_text() for app in proxy.apps)
