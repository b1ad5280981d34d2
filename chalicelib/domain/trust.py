"""A snapshot of what the verifier trusts: issuers, their keys, the catalogue.

Built once from a store (or, later, a saved trust list) and reused: parsed
public keys are cached so that a verification costs one ECDSA check plus
decoding. ``as_of`` is when its contents were read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping

from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain.catalogue import DocType
from chalicelib.domain.cose import load_public_key
from chalicelib.domain.models import Issuer, SigningKey


@dataclasses.dataclass(frozen=True)
class TrustSnapshot:
    issuers: Mapping[str, Issuer]
    keys: Mapping[str, SigningKey]
    doc_types: Mapping[str, DocType]
    as_of: dt.datetime
    public_keys: Mapping[str, ec.EllipticCurvePublicKey] = dataclasses.field(
        default_factory=dict, repr=False
    )

    @classmethod
    def build(
        cls,
        issuers: Iterable[Issuer],
        keys: Iterable[SigningKey],
        doc_types: Iterable[DocType],
        as_of: dt.datetime,
    ) -> TrustSnapshot:
        key_map = {k.kid: k for k in keys}
        return cls(
            issuers={i.code: i for i in issuers},
            keys=key_map,
            doc_types={t.code: t for t in doc_types},
            as_of=as_of,
            public_keys={kid: load_public_key(k.public_key_der) for kid, k in key_map.items()},
        )
