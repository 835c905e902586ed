"""Checking sealed transcripts: verification and hand-ins.

The seal itself (the hash chain over every line, signed with the class key) is
written with the transcript, so it lives in :mod:`finsim.transcript`:
:mod:`finsim.transcript.chain` (the seal of one line, the :class:`Sealer`) and
:mod:`finsim.transcript.keys` (the class key pair). This package reads seals:

* :mod:`finsim.seal.verify` — :func:`verify_file`: intact, chained,
  incomplete, unsealed or broken, and where.
* :mod:`finsim.seal.hand_in` — importing a student's transcript: verify, then store.

See ``docs/seal.md`` for the design and what a seal does and does not prove.
"""

from finsim.transcript.chain import SEAL_FORMAT, Sealer
from finsim.transcript.keys import create_key_pair, signing_key, trusted_key

__all__ = ["SEAL_FORMAT", "Sealer", "create_key_pair", "signing_key", "trusted_key"]
