"""The CMO's Ed25519 key: signs certificates as VC-JWTs and publishes its public half."""

import hashlib
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

ALGORITHM = "Ed25519"  # RFC 9864's fully specified name of EdDSA over Ed25519


class Signer:
    """Signs and checks VC-JWTs with one Ed25519 key derived from a configured secret."""

    def __init__(self, secret: str) -> None:
        seed = hashlib.sha256(f"cmo-certificates:{secret}".encode()).digest()
        self._key = OKPKey.import_key(Ed25519PrivateKey.from_private_bytes(seed))
        public = self._key.as_dict(private=False)
        self.kid = hashlib.sha256(public["x"].encode()).hexdigest()[:16]

    def jwk(self) -> dict[str, Any]:
        """The public key as a JWK, for anyone to verify offline."""
        return {**self._key.as_dict(private=False), "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def sign(self, credential: dict[str, Any], issued_at: datetime) -> str:
        """A VC-JWT of the credential: `vc`, and `iss`, `jti`, `nbf` mirroring it."""
        claims = {
            "iss": credential["issuer"]["id"],
            "jti": credential["id"],
            "nbf": int(issued_at.timestamp()),
            "vc": credential,
        }
        header = {"alg": ALGORITHM, "kid": self.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self._key, algorithms=[ALGORITHM])

    def verify(self, token: str) -> dict[str, Any] | None:
        """The credential a token carries if this key signed it, else None."""
        try:
            return jwt.decode(token, self._key, algorithms=[ALGORITHM]).claims.get("vc")
        except (JoseError, ValueError):
            return None
