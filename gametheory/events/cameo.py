"""CAMEO codes, Goldstein weights and PLOVER categories for diplomatic retaliation.

Only codes whose Goldstein value is documented in GDELT's
``CAMEO.goldsteinscale.txt`` (as excerpted in the project's reference notes)
are listed; a file that uses another code must give ``goldstein`` itself.

References
----------
Gerner, D. J., Schrodt, P. A., Yilmaz, O. & Abu-Jabr, R. (2002). The Creation
of CAMEO. APSA annual meeting. Goldstein, J. S. (1992). A conflict-cooperation
scale for WEIS events data. *J. Conflict Resolution* 36(2):369-385.
"""

from __future__ import annotations

__all__ = ["CAMEO_LABELS", "DEFAULT_CAMEO", "GOLDSTEIN", "PLOVER", "default_goldstein"]

#: CAMEO code -> Goldstein weight (GDELT CAMEO.goldsteinscale.txt).
GOLDSTEIN: dict[str, float] = {
    "012": -0.4, "013": 0.4, "020": 3.0, "0251": -0.3, "0351": 7.0, "036": 4.0,
    "043": 2.8, "044": 2.5, "046": 7.0, "057": 8.0, "081": 5.0, "0842": 7.0,
    "111": -2.0, "112": -2.0, "1241": -4.0, "125": -5.0, "1051": -5.0, "1053": -5.0,
    "132": -5.8, "1313": -5.8, "160": -4.0, "161": -4.0, "163": -8.0, "166": -7.0,
    "171": -9.2, "1711": -9.2, "172": -5.0, "174": -5.0,
}

#: CAMEO code -> label.
CAMEO_LABELS: dict[str, str] = {
    "012": "Make pessimistic comment", "013": "Make optimistic comment",
    "020": "Make an appeal or request",
    "0251": "Appeal for easing of administrative sanctions",
    "0351": "Express intent to ease administrative sanctions",
    "036": "Express intent to meet or negotiate", "043": "Host a visit",
    "044": "Meet at a third location", "046": "Engage in negotiation",
    "057": "Sign formal agreement", "081": "Ease administrative sanctions",
    "0842": "Return, release property", "111": "Criticize or denounce",
    "112": "Accuse", "1241": "Refuse to ease administrative sanctions",
    "125": "Reject proposal to meet, discuss, or negotiate",
    "1051": "Demand easing of administrative sanctions",
    "1053": "Demand release of persons or property",
    "132": "Threaten with administrative sanctions",
    "1313": "Threaten to reduce or break relations",
    "160": "Reduce relations", "161": "Reduce or break diplomatic relations",
    "163": "Impose embargo, boycott, or sanctions",
    "166": "Expel or withdraw", "171": "Seize or damage property",
    "1711": "Confiscate property", "172": "Impose administrative sanctions",
    "174": "Expel or deport individuals",
}

#: Action type -> default CAMEO code. EXPEL -> 174 rather than 161 is a coding
#: choice (the reference flags it); RESTRAINT has no CAMEO code and borrows 013.
DEFAULT_CAMEO: dict[str, str] = {
    "expel": "174",
    "close_facility": "161",
    "cap_staff": "161",
    "seize_property": "1711",
    "ban_local_hires": "172",
    "suspend_services": "172",
    "rotation_limit": "172",
    "sanction": "163",
    "threat": "1313",
    "demand": "1051",
    "offer": "0351",
    "concession": "081",
    # how event datasets code a side cutting its own mission (the model never scores it)
    "reduce_own_operations": "161",
    "restraint": "013",
    "talks": "046",
    "agreement": "057",
    "statement": "012",
}

#: PLOVER category of CAMEO codes (openeventdata/PLOVER, CAMEO2PLOVER-2021.txt).
PLOVER: dict[str, str] = {
    "161": "SANCTION", "164": "SANCTION", "166": "SANCTION",
    "163": "COERCE", "171": "COERCE", "1711": "COERCE", "172": "COERCE", "174": "COERCE",
}


def default_goldstein(cameo_code: str | None) -> float | None:
    """The Goldstein weight of a CAMEO code, or None when the code is not tabulated.

    Examples
    --------
    >>> default_goldstein("174"), default_goldstein("0351"), default_goldstein("999")
    (-5.0, 7.0, None)
    """
    if cameo_code is None:
        return None
    return GOLDSTEIN.get(cameo_code)
