"""Actor codes: who may act in an event file.

An actor or target is an ISO 3166-1 alpha-3 country code (``USA``, ``RUS``, ``CZE``), a
withdrawn ISO 3166-3 code for a state that no longer exists (``SUN`` for the Soviet
Union), an organisation code (``NATO``, ``EUR``, ``UNO``, ``IGO``, ``NGO``, ``MNC``), or
one of these followed by a CAMEO-style role suffix (``USAGOV``, ``RUSMIL``: the first
three letters must be a known code). The list is ``actor_codes.csv`` beside this module
(from Debian's iso-codes). A file may declare more: an ``actors.yaml`` next to the event
file mapping extra codes to names, or ``load_events(path, actors={"WAG": "Wagner"})``.

Examples
--------
>>> check_actor("CZE")
'CZE'
>>> check_actor("CZECHIA")
Traceback (most recent call last):
...
ValueError: unknown actor code 'CZECHIA'; did you mean 'CZE' (Czechia)? ...
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

__all__ = ["ROLES", "actor_codes", "check_actor"]

#: CAMEO role codes that may follow an actor code (Schrodt 2012, *CAMEO Conflict and
#: Mediation Event Observations Codebook* v1.1b3, ch. 3), the common ones.
ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "SPY", "LEG", "OPP", "REB", "INS", "SEP",
                   "PTY", "BUS", "MED", "EDU", "CVL", "LAB", "REF", "HLH", "HRI", "ELI",
                   "CRM", "AGR", "DEV", "ENV", "UAF", "IGO", "NGO", "MNC"})


@cache
def actor_codes() -> dict[str, str]:
    """Known codes -> names (ISO 3166-1 and 3166-3 alpha-3, organisations)."""
    path = Path(__file__).with_name("actor_codes.csv")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return {row["code"]: row["name"] for row in csv.DictReader(lines)}


def check_actor(code: str, extra: Mapping[str, str] | None = None) -> str:
    """``code`` if it is a known actor (or a known code with a role suffix), else a
    ``ValueError`` with the closest codes and country names."""
    known = {**actor_codes(), **(extra or {})}
    # a known code, or a known code followed by CAMEO role codes (USAGOV, RUSMILGOV)
    if code in known or (len(code) > 3 and (len(code) - 3) % 3 == 0 and code[:3] in known
                         and all(code[k:k + 3] in ROLES for k in range(3, len(code), 3))):
        return code
    raise ValueError(f"unknown actor code {code!r}; {_suggest(code, known)}Actors are ISO 3166 "
                     "alpha-3 codes (USA, RUS, CZE; SUN for the Soviet Union), organisation "
                     "codes (NATO, EUR, UNO), or one of these with a role suffix (USAGOV); "
                     "declare others in an actors.yaml beside the event file")


def _suggest(code: str, known: Mapping[str, str]) -> str:
    by_name = {name.upper(): c for c, name in known.items()}
    # a name given instead of its code ("Czechia"), or a word of a name ("USSR")
    hits = [c for c, name in known.items()
            if code.upper() in re.split(r"[ ,()]+", name.upper())]
    for name in difflib.get_close_matches(code.upper(), list(by_name), n=2, cutoff=0.75):
        if by_name[name] not in hits:
            hits.append(by_name[name])
    hits += [c for c in difflib.get_close_matches(code, list(known), n=2, cutoff=0.6)
             if c not in hits]
    if not hits:
        return ""
    shown = ", ".join(f"{c!r} ({known[c]})" for c in hits[:3])
    return f"did you mean {shown}? "
