"""TLS (rustls) on redlite-server: `--tls-port`, server certificate, client certificates
(`--tls-auth-clients yes|no|optional`), with redis-py and redis-cli --tls.

The fixture makes a CA, a server certificate and a client certificate with openssl.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from conftest import REDLITE_SERVER, Server, free_port, start


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if shutil.which("openssl") is None:
        pytest.fail(
            "openssl is not installed: the TLS tests need it to make certificates",
            pytrace=False,
        )
    d = tmp_path_factory.mktemp("tls")
    openssl(
        "req",
        "-x509",
        "-new",
        "-nodes",
        "-newkey",
        "rsa:2048",
        "-sha256",
        "-days",
        "2",
        "-subj",
        "/CN=redlite test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        cwd=d,
    )
    # v3 certificates (webpki takes no v1 ones), each for its use.
    (d / "server.ext").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
    )
    (d / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
    for name in ("server", "client"):
        ext = ["-extfile", f"{name}.ext"]
        openssl(
            "req",
            "-new",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-subj",
            f"/CN={name}",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            cwd=d,
        )
        openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-sha256",
            "-out",
            f"{name}.crt",
            *ext,
            cwd=d,
        )
    # A client certificate from a CA the server does not trust.
    openssl(
        "req",
        "-x509",
        "-new",
        "-nodes",
        "-newkey",
        "rsa:2048",
        "-sha256",
        "-days",
        "2",
        "-subj",
        "/CN=stranger",
        "-keyout",
        "stranger.key",
        "-out",
        "stranger.crt",
        cwd=d,
    )
    return {
        n: str(d / n)
        for n in (
            "ca.crt",
            "server.crt",
            "server.key",
            "client.crt",
            "client.key",
            "stranger.crt",
            "stranger.key",
        )
    }


def tls_server(certs: dict[str, str], workdir: Path, auth_clients: str) -> Server:
    if not REDLITE_SERVER.exists():
        pytest.fail(
            f"{REDLITE_SERVER} is missing: build it with `make build`", pytrace=False
        )
    port, tls_port = free_port(), free_port()
    server = start(
        f"redlite-tls-{auth_clients}",
        [
            str(REDLITE_SERVER),
            "--db",
            str(workdir / f"tls-{auth_clients}.db"),
            "--port",
            str(port),
            "--tls-port",
            str(tls_port),
            "--tls-cert-file",
            certs["server.crt"],
            "--tls-key-file",
            certs["server.key"],
            "--tls-ca-cert-file",
            certs["ca.crt"],
            "--tls-auth-clients",
            auth_clients,
        ],
        port,
        str(workdir),
    )
    server.tls_port = tls_port  # type: ignore[attr-defined]
    return server


@pytest.fixture(scope="module", params=["yes", "optional", "no"])
def server(
    request: pytest.FixtureRequest,
    certs: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    s = tls_server(certs, tmp_path_factory.mktemp("tls-server"), request.param)
    s.auth_clients = request.param  # type: ignore[attr-defined]
    yield s
    s.stop()


def client(server: Server, certs: dict[str, str], cert: str = "", **kw) -> redis.Redis:
    extra = {}
    if cert:
        extra = {
            "ssl_certfile": certs[f"{cert}.crt"],
            "ssl_keyfile": certs[f"{cert}.key"],
        }
    return redis.Redis(
        port=server.tls_port,
        ssl=True,
        ssl_ca_certs=certs["ca.crt"],  # type: ignore[attr-defined]
        socket_timeout=10,
        **extra,
        **kw,
    )


def test_tls_with_client_certificate(server: Server, certs: dict[str, str]) -> None:
    for protocol in (2, 3):
        c = client(server, certs, "client", protocol=protocol)
        assert c.ping() is True
        assert c.set("tls-key", "v") is True
        assert c.get("tls-key") == b"v"
        c.close()
    # The plain port still serves, the same database.
    plain = redis.Redis(port=server.port)
    assert plain.get("tls-key") == b"v"
    plain.close()


TLS_OPTIONS = (
    "tls-port",
    "tls-cert-file",
    "tls-key-file",
    "tls-ca-cert-file",
    "tls-auth-clients",
)


def test_config_get_shows_tls_options_as_redis(
    server: Server, certs: dict[str, str], tmp_path: Path
) -> None:
    """CONFIG GET of the TLS options: what the server was started with, as a
    redis-server started with the same flags shows them."""
    auth_clients = server.auth_clients  # type: ignore[attr-defined]
    port, tls_port = free_port(), free_port()
    real = start(
        f"redis-tls-{auth_clients}",
        [
            "redis-server",
            "--port",
            str(port),
            "--save",
            "",
            "--tls-port",
            str(tls_port),
            "--tls-cert-file",
            certs["server.crt"],
            "--tls-key-file",
            certs["server.key"],
            "--tls-ca-cert-file",
            certs["ca.crt"],
            "--tls-auth-clients",
            auth_clients,
        ],
        port,
        str(tmp_path),
    )
    try:
        want = redis.Redis(port=port).config_get(*TLS_OPTIONS)
        got = redis.Redis(port=server.port).config_get(*TLS_OPTIONS)
        assert want.pop("tls-port") == str(tls_port)
        assert got.pop("tls-port") == str(server.tls_port)  # type: ignore[attr-defined]
        assert got == want
        assert want["tls-auth-clients"] == auth_clients
    finally:
        real.stop()


def test_tls_without_client_certificate(server: Server, certs: dict[str, str]) -> None:
    c = client(server, certs)
    if server.auth_clients == "yes":  # type: ignore[attr-defined]
        with pytest.raises(redis.ConnectionError):
            c.ping()
    else:
        assert c.ping() is True
    c.close()


def test_tls_with_untrusted_client_certificate(
    server: Server, certs: dict[str, str]
) -> None:
    c = client(server, certs, "stranger")
    if server.auth_clients == "no":  # type: ignore[attr-defined]
        assert c.ping() is True  # no certificate asked for: none checked
    else:
        with pytest.raises(redis.ConnectionError):
            c.ping()
    c.close()


def test_tls_client_rejects_unknown_server(
    server: Server, certs: dict[str, str]
) -> None:
    c = redis.Redis(
        port=server.tls_port,
        ssl=True,
        ssl_cert_reqs=ssl.CERT_REQUIRED,  # type: ignore[attr-defined]
        ssl_ca_certs=certs["stranger.crt"],
        ssl_certfile=certs["client.crt"],
        ssl_keyfile=certs["client.key"],
        socket_timeout=10,
    )
    with pytest.raises(redis.ConnectionError):
        c.ping()
    c.close()


def test_plain_client_on_tls_port_is_not_served(
    server: Server, certs: dict[str, str]
) -> None:
    c = redis.Redis(port=server.tls_port, socket_timeout=10)  # type: ignore[attr-defined]
    with pytest.raises(redis.ConnectionError):
        c.ping()
    c.close()


def test_redis_cli_tls(server: Server, certs: dict[str, str]) -> None:
    cli = shutil.which("redis-cli")
    if cli is None:
        pytest.fail("redis-cli is not installed", pytrace=False)
    argv = [
        cli,
        "-p",
        str(server.tls_port),
        "--tls",
        "--cacert",
        certs["ca.crt"],  # type: ignore[attr-defined]
        "--cert",
        certs["client.crt"],
        "--key",
        certs["client.key"],
    ]
    out = subprocess.run(
        argv + ["SET", "cli-key", "hello"], capture_output=True, text=True, timeout=30
    )
    assert out.stdout.strip() == "OK", out.stderr
    out = subprocess.run(
        argv + ["GET", "cli-key"], capture_output=True, text=True, timeout=30
    )
    assert out.stdout.strip() == "hello", out.stderr


def test_tls_server_needs_ca_to_check_clients(
    certs: dict[str, str], tmp_path: Path
) -> None:
    """As Redis: tls-auth-clients yes without a CA file is a configuration error."""
    out = subprocess.run(
        [
            str(REDLITE_SERVER),
            "--db",
            str(tmp_path / "x.db"),
            "--port",
            str(free_port()),
            "--tls-port",
            str(free_port()),
            "--tls-cert-file",
            certs["server.crt"],
            "--tls-key-file",
            certs["server.key"],
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode != 0
    assert "tls-ca-cert-file" in out.stderr


def test_tls_server_reports_bad_key_file(certs: dict[str, str], tmp_path: Path) -> None:
    out = subprocess.run(
        [
            str(REDLITE_SERVER),
            "--db",
            str(tmp_path / "x.db"),
            "--port",
            str(free_port()),
            "--tls-port",
            str(free_port()),
            "--tls-cert-file",
            certs["server.crt"],
            "--tls-key-file",
            str(tmp_path / "missing.key"),
            "--tls-auth-clients",
            "no",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode != 0
    assert "missing.key" in out.stderr
