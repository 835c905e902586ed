"""Sealed transcripts: a hash chain over every line, signed with the class key.

* :mod:`finsim.seal.keys` — the class key pair (create, load, find).
* :mod:`finsim.seal.chain` — the seal of one line and the :class:`Sealer` the
  transcript writer uses.
* :mod:`finsim.seal.verify` — :func:`verify_file`: intact, chained,
  incomplete, unsealed or broken, and where.
* :mod:`finsim.seal.hand_in` — importing a student's transcript: verify, then store.

See ``docs/seal.md`` for the design and what a seal does and does not prove.
This package imports the transcript reader only inside functions, so the
writer can use :mod:`finsim.seal.chain` without an import cycle.
"""

from finsim.seal.chain import SEAL_FORMAT, Sealer
from finsim.seal.keys import create_key_pair, signing_key, trusted_key

__all__ = ["SEAL_FORMAT", "Sealer", "create_key_pair", "signing_key", "trusted_key"]
