"""A small OpenID Connect provider for the tests: a real HTTP server (a thread, a free port)
with discovery, authorize (signs in ``provider.user`` without asking: the test decides who
the citizen is), token (code exchange, RS256 ID token with the nonce), userinfo, JWKS and
end-session. It plays the national portal's identity service (VNeID claims) and can be
told to misbehave (``id_token_audience``, ``userinfo_sub``, ``sign_key``)."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.helpers import LocalHTTPServer

CLIENT_ID = "motcua-test"
CLIENT_SECRET = "bi-mat-cua-rp"
KID = "test-key-1"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OIDCProvider(LocalHTTPServer):
    def __init__(self):
        self.key = _key()
        self.sign_key = self.key  # another key: a forged token
        self.user: dict = {}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.logouts: list[dict] = []
        self.redirect_uris: set[str] = set()
        self.id_token_audience: str | None = None
        self.userinfo_sub: str | None = None
        self.lock = threading.Lock()
        super().__init__(self._handler())

    def reset(self) -> None:
        self.sign_key = self.key
        self.user = {}
        self.codes.clear()
        self.tokens.clear()
        self.logouts.clear()
        self.id_token_audience = None
        self.userinfo_sub = None

    def settings(self) -> dict:
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.url + "/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": self.url + "/token",
            "OIDC_OP_USER_ENDPOINT": self.url + "/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": self.url + "/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": self.url + "/logout",
            "OIDC_RP_SIGN_ALGO": "RS256",
        }

    def _jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def _id_token(self, claims: dict, nonce: str) -> str:
        now = int(time.time())
        payload = {
            "iss": self.url,
            "aud": self.id_token_audience or CLIENT_ID,
            "sub": claims["sub"],
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "acr": "LoA1",
        }
        return jwt.encode(payload, self.sign_key, algorithm="RS256", headers={"kid": KID})

    def _handler(self):
        op = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, data: dict) -> None:
                raw = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json(
                        200,
                        {
                            "issuer": op.url,
                            "authorization_endpoint": op.url + "/authorize",
                            "token_endpoint": op.url + "/token",
                            "userinfo_endpoint": op.url + "/userinfo",
                            "jwks_uri": op.url + "/jwks",
                            "end_session_endpoint": op.url + "/logout",
                            "id_token_signing_alg_values_supported": ["RS256"],
                        },
                    )
                if url.path == "/jwks":
                    return self._json(200, op._jwks())
                if url.path == "/authorize":
                    if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
                        return self._json(400, {"error": "invalid_request"})
                    code = secrets.token_urlsafe(16)
                    with op.lock:
                        op.redirect_uris.add(q["redirect_uri"])
                        op.codes[code] = {
                            "claims": dict(op.user),
                            "nonce": q.get("nonce", ""),
                            "redirect_uri": q["redirect_uri"],
                            "scope": q.get("scope", ""),
                            "acr_values": q.get("acr_values", ""),
                        }
                    sep = "&" if "?" in q["redirect_uri"] else "?"
                    params = urlencode({"code": code, "state": q.get("state", "")})
                    return self._redirect(f"{q['redirect_uri']}{sep}{params}")
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    grant = op.tokens.get(token)
                    if grant is None:
                        return self._json(401, {"error": "invalid_token"})
                    claims = dict(grant["claims"])
                    if op.userinfo_sub:
                        claims["sub"] = op.userinfo_sub
                    return self._json(200, claims)
                if url.path == "/logout":
                    op.logouts.append(q)
                    return self._redirect(q.get("post_logout_redirect_uri", op.url))
                self._json(404, {"error": "not_found"})

            def do_POST(self):
                if urlparse(self.path).path != "/token":
                    return self._json(404, {"error": "not_found"})
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                    return self._json(401, {"error": "invalid_client"})
                with op.lock:
                    grant = op.codes.pop(form.get("code", ""), None)  # one use only
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._json(400, {"error": "invalid_grant"})
                access = secrets.token_urlsafe(24)
                op.tokens[access] = grant
                self._json(
                    200,
                    {
                        "access_token": access,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": op._id_token(grant["claims"], grant["nonce"]),
                    },
                )

        return Handler


VNEID_CLAIMS = {
    "sub": "vneid-sub-0001",
    "TechID": "a1b2c3",
    "LoaiTaiKhoan": "1",
    "HoVaTen": "Trần Thị Bích Ngọc",
    "SoDinhDanh": "092190001234",
    "NgayThangNamSinh": "19900215",
    "loginIdp": "BCA",
}
