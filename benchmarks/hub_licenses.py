"""Generate the registry entries for the Hugging Face Hub's license identifiers (a dev tool).

    python benchmarks/hub_licenses.py SCANCODE_LICENSEDB_CHECKOUT [--write]

Ids, SPDX keys and ScanCode keys and categories come from license-expression's bundled
ScanCode index; names and OSI status from the ScanCode LicenseDB entry (`docs/<key>.yml`). The
legal terms are the table below: each fact cites the license's canonical text, and every
quote is checked, word for word (case, spacing and quote marks aside), against the LicenseDB
copy of that text or against the copy named in `read_from`. A fact whose quote is not found
stops the run. Existing entries are never overwritten; `--write` writes the missing ones.

Nothing here runs at check time: the registry is plain YAML.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog" / "licenses"
RETRIEVED = "2026-12-02"
HUB_DOCS = ("https://github.com/huggingface/hub-docs/blob/"
            "242f4a1eeb867daf4ac3f44026a5df4a68908a3d/docs/hub/repositories-licenses.md")
LICENSEDB = ("https://github.com/aboutcode-org/scancode-licensedb/blob/"
             "053a651f5e0182bec226b90c4ad47a709da8687b/docs/{key}.LICENSE")

_HUB_ROW = re.compile(r"^\|\s*(.+?)\s*\|\s*`([^`]+)`\s*\|(.*)$")
_HUB_LINK = re.compile(r"<!-- license: (\S+) -->")


def hub_licenses(markdown: str) -> dict[str, tuple[str, str | None]]:
    """The Hub's license ids with their full names and the license link the Hub gives."""
    found: dict[str, tuple[str, str | None]] = {}
    for line in markdown.splitlines():
        row = _HUB_ROW.match(line)
        if row:
            link = _HUB_LINK.search(row.group(3))
            found[row.group(2)] = (row.group(1).replace("\\*", "*"),
                                   link.group(1) if link else None)
    return found


HUB: dict[str, tuple[str, str | None]] = {}
# Markers, not licenses: `unknown` declares nothing, and `other` points at `license_name`
# and `license_link`. They get no entry, so they can never pass as a known license.
NOT_LICENSES = frozenset({"unknown", "other"})


def fact(section: str, quote: str | None = None, **values: Any) -> dict[str, Any]:
    return {"section": section, "quote": quote, **values}


@dataclass
class Spec:
    """One Hub license: where its text is and what it says."""

    key: str | None
    """The ScanCode key whose LicenseDB text the quotes are checked against."""
    url: str
    family: str
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    name: str | None = None
    spdx: str | None = None
    read_from: str | None = None
    """The copy the quotes were read from when it is not the LicenseDB text."""
    read_text: str | None = None
    """That copy's words, for checking the quotes (never written to the catalog)."""
    confidence: str = "verified"
    note: str | None = None
    aliases: list[str] = field(default_factory=list)
    family_id: bool = False
    """The Hub id names a family of licenses, not one: no SPDX or ScanCode key."""


# --- shared terms -----------------------------------------------------------------------

def _cc4(code: str) -> dict[str, dict[str, Any]]:
    """Creative Commons 4.0: the same legal code, with the NC, ND and SA elements."""
    terms: dict[str, dict[str, Any]] = {}
    if "nc" in code:
        terms["commercial_use"] = fact("2(a)(1)", "for NonCommercial purposes only",
                                       scope="non-commercial")
    else:
        terms["commercial_use"] = fact(
            "2(a)(1)", "a worldwide, royalty-free, non-sublicensable, non-exclusive, "
            "irrevocable license to exercise the Licensed Rights", scope="allowed")
    terms["notice"] = fact(
        "3(a)(1)", "indicate if You modified the Licensed Material and retain an indication "
        "of any previous modifications", copy_of_license=False, mark_modified_files=True,
        text="Keep the licensor's identification of the creators, the copyright, license and "
        "disclaimer notices and a link to the material; say whether you modified it; include "
        "the license text or its URI.")
    if "sa" in code:
        terms["share_alike"] = fact("3(b)(1)", "must be a Creative Commons license with the "
                                    "same License Elements", scope="derivative-work")
    if "nd" in code:
        terms["no_derivatives"] = fact(
            "2(a)(1)(B)", "produce and reproduce, but not Share, Adapted Material",
            private_adaptations=True)
    terms["patent"] = fact("2(b)(2)", "Patent and trademark rights are not licensed under "
                           "this Public License", grant=False)
    terms["governing_law"] = fact("whole text (no governing-law clause)", jurisdiction=None,
                                  note="The license names no governing law.")
    terms["trademark"] = fact("2(b)(2)", "Patent and trademark rights are not licensed under "
                              "this Public License", excluded=True)
    return terms


def _cc_old(code: str, version: str) -> dict[str, dict[str, Any]]:
    """Creative Commons 2.0 to 3.0: Section 4 holds the restrictions, in element order."""
    terms: dict[str, dict[str, Any]] = {}
    letters = iter("bcdef")
    share = next(letters) if "sa" in code else None
    noncommercial = next(letters) if "nc" in code else None
    credit = next(letters)
    if noncommercial:
        terms["commercial_use"] = fact(
            f"4({noncommercial})", "in any manner that is primarily intended for or directed "
            "toward commercial advantage or private monetary compensation",
            scope="non-commercial")
    else:
        terms["commercial_use"] = fact("3", "Licensor hereby grants You a worldwide, "
                                       "royalty-free, non-exclusive, perpetual", scope="allowed")
    terms["notice"] = fact(f"4({credit})", "keep intact all copyright notices for the Work",
                           copy_of_license=True, text="Keep all copyright notices intact and "
                           "credit the original author, the title and the license as Section "
                           f"4({credit}) describes.")
    if share:
        quote = ("You may Distribute or Publicly Perform an Adaptation only under"
                 if version == "3.0" else "You may distribute, publicly display, publicly "
                 "perform, or publicly digitally perform a Derivative Work only under the "
                 "terms of")
        terms["share_alike"] = fact(f"4({share})", quote, scope="derivative-work")
    if "nd" in code:
        terms["no_derivatives"] = fact("3", "but otherwise you have no rights to make "
                                       "Adaptations", private_adaptations=False)
    return terms


def _cc(code: str, version: str, name: str, **extra: Any) -> Spec:
    path = "publicdomain/zero" if code == "cc0" else f"licenses/{code.removeprefix('cc-')}"
    terms = _cc4(code) if version == "4.0" else _cc_old(code, version)
    return Spec(f"{code}-{version}", f"https://creativecommons.org/{path}/{version}/legalcode",
                "creative-commons", terms, name=name, **extra)


def _spdx_url(spdx: str) -> str:
    return f"https://spdx.org/licenses/{spdx}.html"


GPL3_PATENT = fact("11", "Each contributor grants you a non-exclusive, worldwide, royalty-free "
                   "patent license under the contributor's essential patent claims",
                   grant=True, retaliation=True,
                   note="Section 10 forbids starting patent litigation over the Program; "
                   "breaking it ends the license under Section 8.")


def _gpl3(network: bool) -> dict[str, dict[str, Any]]:
    terms = {
        "commercial_use": fact("4", "You may charge any price or no price for each copy that "
                               "you convey", scope="allowed"),
        "notice": fact("4", "give all recipients a copy of this License along with the "
                       "Program", copy_of_license=True, mark_modified_files=True,
                       text="Keep the copyright and license notices intact, give recipients "
                       "a copy of the GPL, and mark modified versions with a dated notice."),
        "share_alike": fact("5(c)", "You must license the entire work, as a whole, under this "
                            "License to anyone who comes into possession of a copy",
                            scope="derivative-work", source_required=True),
        "patent": GPL3_PATENT,
    }
    if network:
        terms["share_alike"] = fact(
            "13", "your modified version must prominently offer all users interacting with it "
            "remotely through a computer network", scope="derivative-work", network_use=True,
            source_required=True)
    return terms


PERMISSIVE_NOTICE = "Keep the copyright notice, the license conditions and the disclaimer."


def _permissive(grant_section: str, grant: str, notice_section: str, notice: str,
                **more: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"commercial_use": fact(grant_section, grant, scope="allowed"),
            "notice": fact(notice_section, notice, copy_of_license=True,
                           text=PERMISSIVE_NOTICE), **more}


def _unverified(url: str, family: str, note: str, **extra: Any) -> Spec:
    return Spec(None, url, family, {}, confidence="unverified", note=note, **extra)


BSD_GRANT = ("Redistribution and use in source and binary forms, with or without modification, "
             "are permitted provided that the following conditions are met")
BSD_NOTICE = "Redistributions of source code must retain the above copyright notice"
BSD_NAMES = fact("3", "nor the names of its contributors may be used to endorse or promote "
                 "products derived from this software without specific prior written "
                 "permission", excluded=True)
CDLA_GRANT = fact("2.1", "hereby grant(s) to You a worldwide, non-exclusive, irrevocable "
                  "(except as provided in Section 5) right to: (a) Use Data; and (b) Publish "
                  "Data", scope="allowed")
APACHE_LIKE_PATENT = fact("3", "If You institute patent litigation against any entity",
                          grant=True, retaliation=True)

SPECS: dict[str, Spec] = {
    "afl-3.0": Spec("afl-3.0", _spdx_url("AFL-3.0"), "permissive", {
        "commercial_use": fact("1", "worldwide, royalty-free, non-exclusive, sublicensable "
                               "license", scope="allowed"),
        "notice": fact("6", "You must retain, in the Source Code of any Derivative Works that "
                       "You create, all copyright, patent, or trademark notices from the Source "
                       "Code of the Original Work", copy_of_license=False,
                       text="Keep the copyright, patent and trademark notices and the "
                       "Attribution Notice in the source of derivative works."),
        "patent": fact("10", "as of the date You commence an action, including a cross-claim "
                       "or counterclaim, against Licensor or any licensee alleging that the "
                       "Original Work infringes a patent", grant=True, retaliation=True),
        "trademark": fact("4", "No license is granted to the trademarks of Licensor even if "
                          "such marks are included in the Original Work", excluded=True)}),
    "artistic-2.0": Spec("artistic-2.0", _spdx_url("Artistic-2.0"), "weak-copyleft", {
        "commercial_use": fact("1", "You are permitted to use the Standard Version and create "
                               "and use Modified Versions for any purpose without restriction",
                               scope="allowed"),
        "notice": fact("2", "provided that you duplicate all of the original copyright notices "
                       "and associated disclaimers", copy_of_license=False,
                       text="Keep the original copyright notices and disclaimers; a modified "
                       "version must follow Section 4 (made freely available, or renamed)."),
        "patent": fact("14", "If you institute patent litigation (including a cross-claim or "
                       "counterclaim) against any party alleging that the Package constitutes "
                       "direct or contributory patent infringement", grant=True,
                       retaliation=True),
        "trademark": fact("13", "This license does not grant you the right to use any "
                          "trademark, service mark, tradename, or logo of the Copyright Holder",
                          excluded=True)}),
    # ScanCode's `bsl-1.0` is the Business Source License; Boost is `boost-1.0`.
    "bsl-1.0": Spec("boost-1.0", _spdx_url("BSL-1.0"), "permissive", _permissive(
        "grant", "Permission is hereby granted, free of charge, to any person or organization "
        "obtaining a copy of the software", "condition", "must be included in all copies of "
        "the Software, in whole or in part"), spdx="BSL-1.0"),
    "bsd": Spec("bsd-new", _spdx_url("BSD-3-Clause"), "permissive", {
        "commercial_use": fact("grant", BSD_GRANT, scope="allowed", confidence="secondary",
                               note="The Hub id names the BSD family; the quote is from the "
                               "3-clause text. BSD variants permit commercial use with the "
                               "notice kept, but some add clauses: read the LICENSE."),
        "notice": fact("1", BSD_NOTICE, copy_of_license=True, text=PERMISSIVE_NOTICE,
                       confidence="secondary")},
        name="BSD license family", family_id=True),
    "bsd-2-clause": Spec("bsd-simplified", _spdx_url("BSD-2-Clause"), "permissive",
                         _permissive("grant", BSD_GRANT, "1", BSD_NOTICE)),
    "bsd-3-clause": Spec("bsd-new", _spdx_url("BSD-3-Clause"), "permissive",
                         _permissive("grant", BSD_GRANT, "1", BSD_NOTICE, trademark=BSD_NAMES)),
    "bsd-3-clause-clear": Spec("clear-bsd", _spdx_url("BSD-3-Clause-Clear"), "permissive",
        _permissive("grant", "Redistribution and use in source and binary forms, with or "
                    "without modification, are permitted (subject to the limitations in the "
                    "disclaimer below)", "1", BSD_NOTICE, patent=fact(
                        "disclaimer", "NO EXPRESS OR IMPLIED LICENSES TO ANY PARTY'S PATENT "
                        "RIGHTS ARE GRANTED BY THIS LICENSE", grant=False))),
    "c-uda": Spec("c-uda-1.0", "https://github.com/microsoft/Computational-Use-of-Data-"
                  "Agreement/blob/master/C-UDA-1.0.md", "data", {
        "commercial_use": fact("2.1", "You agree that you will use the Data solely for "
                               "Computational Use", scope="conditional",
                               note="Use of the data is limited to Computational Use (analysis "
                               "by a computer); the agreement puts no restriction on Results "
                               "(Section 2.2), and its definition of Results covers models "
                               "that do not hold more than a de minimis portion of the data."),
        "notice": fact("3.1.1", "You include with any Data you redistribute all credit or "
                       "attribution information that you received with the Data",
                       copy_of_license=False, text="Pass on the credit and attribution "
                       "information and bind recipients to the C-UDA.")}),
    "cc": Spec(None, "https://creativecommons.org/licenses/", "creative-commons", {},
               confidence="unverified", name="Creative Commons license family", family_id=True,
               note="The Hub id names the whole family, from CC0 to BY-NC-ND: commercial use, "
               "derivatives and share-alike differ by license. Read the card and the LICENSE "
               "to see which one applies."),
    "cc0-1.0": Spec("cc0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
                    "public-domain", {
        "commercial_use": fact("2", "including without limitation commercial, advertising or "
                               "promotional purposes", scope="allowed"),
        "patent": fact("4(a)", "No trademark or patent rights held by Affirmer are waived, "
                       "abandoned, surrendered, licensed or otherwise affected by this "
                       "document", grant=False),
        "trademark": fact("4(a)", "No trademark or patent rights held by Affirmer are waived, "
                          "abandoned, surrendered, licensed or otherwise affected by this "
                          "document", excluded=True)}),
    "cdla-permissive-1.0": Spec("cdla-permissive-1.0", "https://cdla.dev/permissive-1-0/",
                                "data", {
        "commercial_use": CDLA_GRANT,
        "notice": fact("3.1(a)", "provided that You give anyone who Receives the Data from You "
                       "the text of this Agreement", copy_of_license=True,
                       text="Give recipients the text, name or a link of this Agreement, mark "
                       "changed files and preserve the credit to the Data Providers.")}),
    "cdla-permissive-2.0": Spec("cdla-permissive-2.0", "https://cdla.dev/permissive-2-0/",
                                "data", {
        "commercial_use": fact("1.1", "A Data Recipient may use, modify, and share the Data",
                               scope="allowed"),
        "notice": fact("2.1", "makes available the text of this agreement with the shared "
                       "Data", copy_of_license=True),
        "output_use": fact("3.1", "This agreement does not impose any restriction or "
                           "obligations with respect to the use, modification, or sharing of "
                           "Results", train_other_models="allowed",
                           note="Results include machine learning models (Section 5.4).")}),
    "cdla-sharing-1.0": Spec("cdla-sharing-1.0", "https://cdla.dev/sharing-1-0/", "data", {
        "commercial_use": CDLA_GRANT,
        "notice": fact("3.1(b)", "You must cause any Data files containing Enhanced Data to "
                       "carry prominent notices that You have changed those files",
                       copy_of_license=False, mark_modified_files=True,
                       text="Preserve all credit or attribution to the Data Providers and "
                       "mark changed data files."),
        "share_alike": fact("3.1(a)", "The Data (including the Enhanced Data) must be "
                            "Published under this Agreement", scope="database")}),
    "ecl-2.0": Spec("ecl-2.0", _spdx_url("ECL-2.0"), "permissive", {
        "commercial_use": fact("2", "perpetual, worldwide, non-exclusive, no-charge, "
                               "royalty-free, irrevocable copyright license", scope="allowed"),
        "notice": fact("4", "You must cause any modified files to carry prominent notices "
                       "stating that You changed the files", copy_of_license=True,
                       mark_modified_files=True, file="NOTICE"),
        "patent": APACHE_LIKE_PATENT,
        "trademark": fact("6", "This License does not grant permission to use the trade names, "
                          "trademarks, service marks, or product names of the Licensor",
                          excluded=True)}),
    "epl-1.0": Spec("epl-1.0", _spdx_url("EPL-1.0"), "weak-copyleft", {
        "commercial_use": fact("2(a)", "non-exclusive, worldwide, royalty-free copyright "
                               "license", scope="allowed"),
        "notice": fact("3", "Contributors may not remove or alter any copyright notices "
                       "contained within the Program", copy_of_license=True,
                       text="Keep the copyright notices and include a copy of this Agreement "
                       "with each copy of the Program."),
        "share_alike": fact("3", "When the Program is made available in source code form: a) "
                            "it must be made available under this Agreement",
                            scope="modified-files", source_required=True),
        "patent": fact("7", "If Recipient institutes patent litigation against any entity",
                       grant=True, retaliation=True),
        "governing_law": fact("7", "This Agreement is governed by the laws of the State of New "
                              "York", jurisdiction="US-NY")}),
    "epl-2.0": Spec("epl-2.0", _spdx_url("EPL-2.0"), "weak-copyleft", {
        "commercial_use": fact("2(a)", "non-exclusive, worldwide, royalty-free copyright "
                               "license", scope="allowed"),
        "notice": fact("3.3", "Contributors may not remove or alter any copyright, patent, "
                       "trademark, attribution notices", copy_of_license=True,
                       text="Keep the notices contained within the Program and include a copy "
                       "of this Agreement with each copy of the Program."),
        "share_alike": fact("3.1(b)(iv)", "requires any subsequent distribution of the Program "
                            "by any party to be under a license that satisfies the requirements "
                            "of this section 3", scope="modified-files", source_required=True,
                            note="Section 3.2(a): source must be made available under this "
                            "Agreement; separate files of a larger work are outside it."),
        "patent": fact("7", "If Recipient institutes patent litigation against any entity",
                       grant=True, retaliation=True)}),
    "etalab-2.0": Spec("etalab-2.0-en", "https://www.etalab.gouv.fr/licence-ouverte-open-"
                       "licence/", "permissive", {
        "commercial_use": fact("Reuse of the Information", "commercial or non-commercial "
                               "purposes, worldwide and for an unlimited period",
                               scope="allowed"),
        "notice": fact("Reuse of the Information", "its source (at least, the name of the",
                       copy_of_license=False, text="Acknowledge the source (at least the "
                       "grantor's name) and the date of the last update of the information.")},
        spdx="etalab-2.0", note="The quotes were checked against the English version of the "
        "licence (ScanCode etalab-2.0-en); the French text is the original."),
    "eupl-1.1": Spec("eupl-1.1", _spdx_url("EUPL-1.1"), "weak-copyleft", {
        "commercial_use": fact("2", "royalty-free, non-exclusive", scope="allowed"),
        "share_alike": fact("5", "will be done under the terms of this Licence or of a later "
                            "version of this Licence", scope="derivative-work",
                            source_required=True),
        "notice": fact("5", "The Licensee must include a copy of such notices and a copy of "
                       "the Licence with every copy of the Work", copy_of_license=True,
                       mark_modified_files=True, text="Keep the copyright, patent and trademark "
                       "notices and a copy of the licence with every copy; mark modified "
                       "files."),
        "patent": fact("2", "patents held by the Licensor, to the extent necessary to make "
                       "use of the rights granted", grant=True),
        "trademark": fact("5", "trademarks, service marks, or names of the Licensor, except "
                          "as required for", excluded=True)}),
    "eupl-1.2": Spec("eupl-1.2", _spdx_url("EUPL-1.2"), "weak-copyleft", {
        "notice": fact("5", "The Licensee must include a copy of such notices and a copy of "
                       "the Licence with every copy of the Work", copy_of_license=True,
                       mark_modified_files=True, text="Keep the copyright, patent and trademark "
                       "notices and a copy of the licence with every copy; mark modified "
                       "files."),
        "commercial_use": fact("2", "worldwide, royalty-free, non-exclusive, sublicensable "
                               "licence", scope="allowed"),
        "share_alike": fact("5", "this Distribution or Communication will be done under the "
                            "terms of this Licence or of a later version of this Licence",
                            scope="derivative-work", source_required=True),
        "patent": fact("2", "The Licensor grants to the Licensee royalty-free, non-exclusive "
                       "usage rights to any patents held by the Licensor", grant=True),
        "trademark": fact("5", "This Licence does not grant permission to use the trade names, "
                          "trademarks, service marks, or names of the Licensor",
                          excluded=True)}),
    "agpl-3.0": Spec("agpl-3.0", "https://www.gnu.org/licenses/agpl-3.0.html", "copyleft",
                     _gpl3(network=True), spdx="AGPL-3.0-only"),
    "gpl-3.0": Spec("gpl-3.0", "https://www.gnu.org/licenses/gpl-3.0.html", "copyleft",
                    _gpl3(network=False), spdx="GPL-3.0-only"),
    "gpl-2.0": Spec("gpl-2.0", "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html",
                    "copyleft", {
        "commercial_use": fact("1", "You may charge a fee for the physical act of transferring "
                               "a copy", scope="allowed"),
        "notice": fact("2(a)", "You must cause the modified files to carry prominent notices "
                       "stating that you changed the files and the date of any change",
                       copy_of_license=True, mark_modified_files=True,
                       text="Keep the copyright and license notices intact and give recipients "
                       "a copy of the GPL."),
        "share_alike": fact("2(b)", "to be licensed as a whole at no charge to all third "
                            "parties under the terms of this License", scope="derivative-work",
                            source_required=True)}, spdx="GPL-2.0-only"),
    "gpl": Spec("gpl-2.0", "https://www.gnu.org/licenses/licenses.html", "copyleft", {
        "share_alike": fact("2(b)", "to be licensed as a whole at no charge to all third "
                            "parties under the terms of this License", scope="derivative-work",
                            source_required=True, confidence="secondary",
                            url="https://www.gnu.org/licenses/old-licenses/gpl-2.0.html",
                            note="The Hub id names the GPL family; every version requires "
                            "distributed derivatives to be under the GPL. The quote is from "
                            "version 2.0.")}, name="GNU General Public License family",
        family_id=True),
    "lgpl-2.1": Spec("lgpl-2.1", "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html",
                     "weak-copyleft", {
        "commercial_use": fact("1", "You may charge a fee for the physical act of transferring "
                               "a copy", scope="allowed"),
        "notice": fact("2(b)", "You must cause the files modified to carry prominent notices "
                       "stating that you changed the files and the date of any change",
                       copy_of_license=True, mark_modified_files=True,
                       text="Keep the copyright and license notices and give recipients a copy "
                       "of the license."),
        "share_alike": fact("2(c)", "You must cause the whole of the work to be licensed at no "
                            "charge to all third parties under the terms of this License",
                            scope="library", source_required=True,
                            note="A work that only uses the library is outside its scope "
                            "(Section 5).")}, spdx="LGPL-2.1-only"),
    "lgpl-3.0": Spec("lgpl-3.0", "https://www.gnu.org/licenses/lgpl-3.0.html",
                     "weak-copyleft", {
        "notice": fact("4(a)", "Give prominent notice with each copy of the Combined Work that "
                       "the Library is used in it and that the Library and its use are covered "
                       "by this License", copy_of_license=True,
                       text="Say that the Library is used and is under this License, and ship "
                       "copies of the GNU GPL and this license (Section 4(b))."),
        "share_alike": fact("2(a)", "under this License, provided that you make a good faith "
                            "effort to ensure", scope="library", source_required=True),
        "patent": dict(GPL3_PATENT, check="gpl-3.0", note="The LGPL incorporates the GNU GPL "
                       "version 3, Section 11 of which grants the patent license.",
                       confidence="secondary",
                       url="https://www.gnu.org/licenses/gpl-3.0.html")},
        spdx="LGPL-3.0-only"),
    "lgpl": Spec(None, "https://www.gnu.org/licenses/licenses.html", "weak-copyleft", {},
                 confidence="unverified", name="GNU Lesser General Public License family",
                 family_id=True,
                 note="The Hub id names the LGPL family (2.0, 2.1, 3.0): read the LICENSE."),
    "gfdl": Spec("gfdl-1.3", "https://www.gnu.org/licenses/fdl-1.3.html", "copyleft", {
        "share_alike": fact("4", "provided that you release the Modified Version under "
                            "precisely this License", scope="derivative-work",
                            confidence="secondary", note="The Hub id names the GFDL family; "
                            "the quote is from version 1.3.")},
        name="GNU Free Documentation License family", family_id=True),
    "isc": Spec("isc", _spdx_url("ISC"), "permissive", _permissive(
        "grant", "Permission to use, copy, modify, and/or distribute this software for any "
        "purpose with or without fee is hereby granted", "grant", "provided that the above "
        "copyright notice and this permission notice appear in all copies")),
    "lppl-1.3c": Spec("lppl-1.3c", _spdx_url("LPPL-1.3c"), "copyleft", {},
                      confidence="unverified", note="No terms recorded yet: the conditions "
                      "on distributing modified versions need a careful reading."),
    "ms-pl": Spec("ms-pl", _spdx_url("MS-PL"), "permissive", {
        "commercial_use": fact("2(A)", "non-exclusive, worldwide, royalty-free copyright "
                               "license", scope="allowed"),
        "notice": fact("3(C)", "trademark, and attribution notices that are present in the "
                       "software", copy_of_license=True, text="Keep all copyright, patent, "
                       "trademark and attribution notices; source distributions carry a "
                       "complete copy of this license (3(D))."),
        "patent": fact("3(B)", "If you bring a patent claim against any contributor over "
                       "patents that you claim are infringed by the software, your patent "
                       "license from such contributor to the software ends automatically",
                       grant=True, retaliation=True),
        "trademark": fact("3(A)", "This license does not grant you rights to use any "
                          "contributors' name, logo, or trademarks", excluded=True)}),
    "mpl-2.0": Spec("mpl-2.0", "https://www.mozilla.org/en-US/MPL/2.0/", "weak-copyleft", {
        "commercial_use": fact("2.1", "a world-wide, royalty-free, non-exclusive license",
                               scope="allowed"),
        "notice": fact("3.1", "how they can obtain a copy of this License", copy_of_license=True,
                       text="Tell recipients how to get a copy of this License and keep the "
                       "license notices (Section 3.4)."),
        "share_alike": fact("3.1", "including any Modifications that You create or to which "
                            "You contribute, must be under the terms of this License",
                            scope="modified-files", source_required=True),
        "patent": fact("5.2", "If You initiate litigation against any entity by asserting a "
                       "patent infringement claim", grant=True, retaliation=True),
        "trademark": fact("2.3", "This License does not grant any rights in the trademarks, "
                          "service marks, or logos of any Contributor", excluded=True)}),
    "odc-by": Spec("odc-by-1.0", "https://opendatacommons.org/licenses/by/1-0/", "data", {
        "commercial_use": fact("3.1", "These rights explicitly include commercial use",
                               scope="allowed"),
        "notice": fact("4.2", "Include a copy of this License or its Uniform Resource "
                       "Identifier (URI) with the Database or Derivative Database",
                       copy_of_license=True, text="Keep the copyright, Database Right and "
                       "license notices and include the license or its URI.")},
                   spdx="ODC-By-1.0", note="The Hub id names the ODC Attribution license; "
                   "1.0 is its version."),
    "odbl": Spec("odbl-1.0", "https://opendatacommons.org/licenses/odbl/1-0/", "data", {
        "commercial_use": fact("3.1", "These rights explicitly include commercial use",
                               scope="allowed"),
        "notice": fact("4.2", "or its Uniform Resource "
                       "Identifier (URI) with the Database or Derivative Database",
                       copy_of_license=True, text="Keep the copyright, Database Right and "
                       "license notices and include the license or its URI."),
        "share_alike": fact("4.4", "Any Derivative Database that You Publicly Use must be only "
                            "under the terms of", scope="database"),
        "patent": fact("2.3(b)", "This License does not cover any patents over the Contents "
                       "or the Database", grant=False),
        "trademark": fact("2.3(c)", "This License does not cover any trademarks associated "
                          "with the Database", excluded=True)},
        spdx="ODbL-1.0", note="The Hub id names the Open Database License; 1.0 is its "
        "version."),
    "openmdw-1.0": Spec("openmdw-1.0", "https://openmdw.ai/license/1-0/", "permissive", {
        "commercial_use": fact("grant", "permission is hereby granted, free of charge, to deal "
                               "in the Model Materials without restriction", scope="allowed"),
        "notice": fact("distribution", "you shall retain in your distribution (1) a copy of "
                       "this agreement", copy_of_license=True,
                       text="Keep a copy of the agreement and the copyright and origin "
                       "notices in what you distribute."),
        "patent": fact("patent termination", "If you file, maintain, or voluntarily participate "
                       "in a lawsuit against any person or entity asserting that the Model "
                       "Materials directly or indirectly infringe any patent", grant=True,
                       retaliation=True),
        "output_use": fact("outputs", "This agreement does not impose any restrictions or "
                           "obligations with respect to any use, modification, or sharing of "
                           "any outputs generated by using the Model Materials",
                           train_other_models="allowed")}),
    "osl-3.0": Spec("osl-3.0", _spdx_url("OSL-3.0"), "copyleft", {
        "notice": fact("6", "You must retain, in the Source Code of any Derivative Works that "
                       "You create, all copyright, patent, or trademark notices from the Source "
                       "Code of the Original Work", copy_of_license=False,
                       text="Keep the copyright, patent and trademark notices and the "
                       "Attribution Notice in the source of derivative works."),
        "commercial_use": fact("1", "worldwide, royalty-free, non-exclusive, sublicensable "
                               "license", scope="allowed"),
        "share_alike": fact("5", "External Deployment", scope="derivative-work",
                            network_use=True, source_required=True,
                            note="Section 1(c) requires distributed derivatives to be under "
                            "this license; Section 5 makes External Deployment (use by "
                            "anyone other than You, including over a network) a "
                            "distribution."),
        "patent": fact("10", "as of the date You commence an action, including a cross-claim "
                       "or counterclaim, against Licensor or any licensee alleging that the "
                       "Original Work infringes a patent", grant=True, retaliation=True),
        "trademark": fact("4", "No license is granted to the trademarks of Licensor even if "
                          "such marks are included in the Original Work", excluded=True)}),
    "postgresql": Spec("postgresql", _spdx_url("PostgreSQL"), "permissive", _permissive(
        "grant", "Permission to use, copy, modify, and distribute this software and its "
        "documentation for any purpose, without fee, and without a written agreement is hereby "
        "granted", "grant", "provided that the above copyright notice and this paragraph and "
        "the following two paragraphs appear in all copies")),
    "ofl-1.1": Spec("ofl-1.1", _spdx_url("OFL-1.1"), "weak-copyleft", {
        "notice": fact("conditions 2", "provided that each copy contains the above copyright "
                       "notice and this license", copy_of_license=True, text=PERMISSIVE_NOTICE),
        "commercial_use": fact("conditions 1", "may be sold by itself", scope="conditional",
                               note="The fonts may be sold bundled with software, but not "
                               "by themselves."),
        "share_alike": fact("conditions 5", "must be distributed entirely under this license",
                            scope="derivative-work")}),
    "ncsa": Spec("uoi-ncsa", _spdx_url("NCSA"), "permissive", _permissive(
        "grant", "Permission is hereby granted, free of charge, to any person obtaining a "
        "copy", "conditions", "Redistributions of source code must retain the above "
        "copyright notice", trademark=fact("conditions", "may be used to endorse or promote "
                                           "products derived from this Software without "
                                           "specific prior written permission",
                                           excluded=True))),
    "unlicense": Spec("unlicense", _spdx_url("Unlicense"), "public-domain", {
        "commercial_use": fact("grant", "for any purpose, commercial or non-commercial",
                               scope="allowed")}),
    "wtfpl": Spec("wtfpl-2.0", _spdx_url("WTFPL"), "public-domain", {
        "commercial_use": fact("0", "You just DO WHAT THE FUCK YOU WANT TO", scope="allowed")}),
    "zlib": Spec("zlib", _spdx_url("Zlib"), "permissive", {
        "commercial_use": fact("grant", "Permission is granted to anyone to use this software "
                               "for any purpose, including commercial applications",
                               scope="allowed"),
        "notice": fact("2", "Altered source versions must be plainly marked as such",
                       copy_of_license=False, mark_modified_files=True,
                       text="Do not misrepresent the origin, mark altered source versions, "
                       "and keep the notice in source distributions.")}),
    "pddl": Spec("pddl-1.0", "https://opendatacommons.org/licenses/pddl/1-0/", "public-domain",
                 {"commercial_use": fact("preamble", "Recipients may use this work "
                                         "commercially", scope="allowed")}),
    "lgpl-lr": Spec("lgpllr", _spdx_url("LGPLLR"), "weak-copyleft", {
        "commercial_use": fact("1", "You may charge a fee for the physical act of transferring "
                               "a copy", scope="allowed"),
        "notice": fact("2(b)", "You must cause the files modified to carry prominent notices "
                       "stating that you changed the files and the date of any change",
                       copy_of_license=True, mark_modified_files=True,
                       text="Keep the copyright and license notices and distribute a copy of "
                       "the license with the resource."),
        "share_alike": fact("2(c)", "You must cause the whole of the work to be licensed at no "
                            "charge to all third parties under the terms of this License",
                            scope="library", note="A program that only reads or links the "
                            "resource is a work that uses it, outside its scope (Section 3).")}),
    "openrail": Spec(None, "https://www.licenses.ai/", "rail", {}, confidence="unverified",
                     name="OpenRAIL license family", family_id=True,
                     note="The Hub id names the whole OpenRAIL family: use restrictions and "
                     "their pass-through differ by license. Read the LICENSE."),
    "h-research": _unverified("https://huggingface.co/Hcompany/Holo1-3B/blob/main/LICENSE",
                              "research",
                              "The text was not read for this entry."),
    "intel-research": _unverified("https://huggingface.co/OpenVINO/Llama-3.1-8B-Instruct-"
                                  "FastDraft-150M-int8-ov/blob/main/LICENSE.md", "research",
                                  "The text was not read for this entry."),
    "deepfloyd-if-license": Spec(
        None, "https://huggingface.co/spaces/DeepFloyd/deepfloyd-if-license", "research", {
            "commercial_use": fact(
                "License", "We are releasing DeepFloyd IF under a research license",
                scope="research-only", confidence="secondary",
                url="https://stability.ai/blog/deepfloyd-if-text-to-image-model",
                note="From the publisher's announcement; the license text itself was not "
                "read.")},
        confidence="unverified", read_from="https://stability.ai/blog/deepfloyd-if-text-to-"
        "image-model", read_text="We are releasing DeepFloyd IF under a research license as a "
        "new model."),
}


FAIR_URL = "https://github.com/facebookresearch/pixio/blob/14de94cbb0dcb4f8f6d788dbc51af7b7ed0f8ae6/LICENSE"
FAIR_TEXT = (
    "Noncommercial Research Uses means noncommercial research use cases related to research, "
    "development, education, processing, or analysis and in each case, is not primarily "
    "intended for commercial advantage or monetary compensation to you or others. "
    "You will not use the Research Materials or any outputs or results of the Research "
    "Materials in connection with any commercial uses or for any uses other than "
    "Noncommercial Research Uses; "
    "If you distribute or make the Research Materials, or any derivative works thereof, "
    "available to a third party, you may only do so under the terms of this Agreement. You "
    "shall also provide a copy of this Agreement to such third party. "
    "adhere to the FAIR Acceptable Use Policy, which is hereby incorporated by reference into "
    "this Agreement. "
    "then any licenses granted to you under this Agreement shall terminate as of the date "
    "such litigation or claim is filed or instituted. "
    "This Agreement will be governed and construed under the laws of the State of California "
    "The courts of California shall have exclusive jurisdiction of any dispute arising out of "
    "this Agreement. "
    "Meta may modify this Agreement from time to time")
SPECS["fair-noncommercial-research-license"] = Spec(
    None, "https://huggingface.co/facebook/fair-noncommercial-research-license/blob/main/"
    "LICENSE", "research", {
        "commercial_use": fact("1.b.i", "You will not use the Research Materials or any "
                               "outputs or results of the Research Materials in connection "
                               "with any commercial uses", scope="non-commercial"),
        "notice": fact("1.b.ii", "You shall also provide a copy of this Agreement to such "
                       "third party", copy_of_license=True),
        "use_policy": fact("1.b.iv", "adhere to the FAIR Acceptable Use Policy, which is "
                           "hereby incorporated by reference into this Agreement",
                           name="FAIR Acceptable Use Policy", pass_through="copy-of-agreement"),
        "output_use": fact("1.b.i", "any outputs or results of the Research Materials in "
                           "connection with any commercial uses", train_other_models="restricted",
                           note="Outputs, like the materials, are for Noncommercial Research "
                           "Uses only."),
        "patent": fact("5.b", "then any licenses granted to you under this Agreement shall "
                       "terminate as of the date such litigation or claim is filed or "
                       "instituted", grant=False, retaliation=True,
                       note="The grant covers Meta's intellectual property in the materials "
                       "(1.a); suing over intellectual property in them ends it."),
        "governing_law": fact("7", "The courts of California shall have exclusive jurisdiction "
                              "of any dispute arising out of this Agreement",
                              jurisdiction="US-CA", venue="courts of California"),
        "changes_by_reference": fact("8", "Meta may modify this Agreement from time to time",
                                     value=True)},
    name="FAIR Noncommercial Research License", read_from=FAIR_URL, read_text=FAIR_TEXT,
    aliases=["FAIR Noncommercial Research License v1", "fair-noncommercial-research"])

AMLR_COPY = "https://github.com/apple/ml-sharp (LICENSE_MODEL, as quoted in a public port's README)"
AMLR_TEXT = (
    "to use, copy, modify, distribute, and create Model Derivatives (defined below) of the "
    "Apple Machine Learning Research Model exclusively for Research Purposes. "
    '"Research Purposes" does not include any commercial exploitation, product development '
    "or use in any commercial product or service. "
    "you must provide a copy of this Agreement to such third party, and ensure that the "
    'following attribution notice be provided: "Apple Machine Learning Research Model is '
    'licensed under the Apple Machine Learning Research Model License Agreement." '
    "Additionally, all Model Derivatives must clearly be identified as such, including "
    "disclosure of modifications and changes made to the Apple Machine Learning Research "
    "Model. The name, trademarks, service marks or logos of Apple may not be used to endorse "
    "or promote Model Derivatives or the relationship between You and Apple. "
    "no other rights or licenses, express or implied, are granted by Apple herein, including "
    "but not limited to any patent, trademark, and similar intellectual property rights "
    "This Agreement will be governed by and construed under the laws of the State of "
    "California")
SPECS["apple-amlr"] = Spec(
    None, "https://huggingface.co/apple/deeplabv3-mobilevit-small/blob/main/LICENSE",
    "research", {
        "commercial_use": fact("License Scope", '"Research Purposes" does not include any '
                               "commercial exploitation, product development or use in any "
                               "commercial product or service", scope="research-only"),
        "notice": fact("Distribution", "you must provide a copy of this Agreement to such "
                       "third party", copy_of_license=True, mark_modified_files=True,
                       text="Apple Machine Learning Research Model is licensed under the Apple "
                       "Machine Learning Research Model License Agreement."),
        "patent": fact("No Other License", "including but not limited to any patent, "
                       "trademark, and similar intellectual property rights", grant=False),
        "trademark": fact("Distribution", "The name, trademarks, service marks or logos of "
                          "Apple may not be used to endorse or promote Model Derivatives",
                          excluded=True),
        "governing_law": fact("Governing Law", "governed by and construed under the laws of "
                              "the State of California", jurisdiction="US-CA")},
    name="Apple Machine Learning Research Model License Agreement", confidence="secondary",
    read_from=AMLR_COPY, read_text=AMLR_TEXT,
    note="Read from a verbatim copy in a third-party repository, not from an Apple page: every "
    "fact is secondary.",
    aliases=["Apple Machine Learning Research Model License"])

OPENMDW_FAQ = ("https://github.com/OpenMDW/OpenMDW/blob/9067ba54b2f84bc9e15a05734f570ec88e9f445d/"
               "1.1/FAQ-1.1.md")
OPENMDW_FAQ_TEXT = (
    "OpenMDW-1.1 is a minor release, with one change as compared to OpenMDW-1.0: the change "
    'from "patent" to "patent or copyright" in the fifth paragraph. '
    "The license imposes no field-of-use, royalty or geographic restrictions "
    "A copy of the OpenMDW-1.1 license text (the LICENSE file); and "
    "if you initiate or maintain a lawsuit alleging that the Model Materials (directly or "
    "indirectly) infringe a patent or copyright "
    "For any outputs you generate by using the Model Materials, no restrictions or obligations "
    "are imposed by OpenMDW-1.1 for using, modifying or sharing those outputs.")
SPECS["openmdw-1.1"] = Spec(
    None, "https://openmdw.ai/license/1-1/", "permissive", {
        "commercial_use": fact("FAQ 3", "The license imposes no field-of-use, royalty or "
                               "geographic restrictions", scope="allowed"),
        "notice": fact("FAQ 4", "A copy of the OpenMDW-1.1 license text", copy_of_license=True,
                       text="Keep a copy of the agreement and the copyright and origin "
                       "notices in what you distribute."),
        "patent": fact("FAQ 6", "infringe a patent or copyright", grant=True, retaliation=True,
                       note="Suing over patents or copyright in the materials ends every "
                       "right granted."),
        "output_use": fact("FAQ 7", "no restrictions or obligations are imposed by OpenMDW-1.1 "
                           "for using, modifying or sharing those outputs",
                           train_other_models="allowed"),
        "governing_law": fact("FAQ 1 with the 1.0 text", jurisdiction=None,
                              note="The 1.0 text names no governing law, and 1.1 changes only "
                              "its litigation clause.")},
    name="OpenMDW License Agreement, version 1.1", confidence="secondary",
    read_from=OPENMDW_FAQ, read_text=OPENMDW_FAQ_TEXT,
    note="From the license steward's FAQ for 1.1, which names its one change from 1.0 (the "
    "litigation clause); the 1.1 text itself was not read.")
for _fact in SPECS["openmdw-1.1"].terms.values():
    _fact.setdefault("url", OPENMDW_FAQ)

ASCL_COPY = LICENSEDB.format(key="aml")
ASCL_TEXT = (
    "Apple grants you a personal, non-exclusive license, under Apple's copyrights in this "
    'original Apple software (the "Apple Software"), to use, reproduce, modify and '
    "redistribute the Apple Software, with or without modifications, in source and/or binary "
    "forms; provided that if you redistribute the Apple Software in its entirety and without "
    "modifications, you must retain this notice and the following text and disclaimers in all "
    "such redistributions of the Apple Software. Neither the name, trademarks, service marks or "
    "logos of Apple Computer, Inc. may be used to endorse or promote products derived from the "
    "Apple Software without specific prior written permission from Apple. Except as expressly "
    "stated in this notice, no other rights or licenses, express or implied, are granted by "
    "Apple herein, including but not limited to any patent rights")
SPECS["apple-ascl"] = Spec(
    None, "https://developer.apple.com/support/downloads/terms/apple-sample-code/"
    "Apple-Sample-Code-License.pdf", "permissive", {
        "commercial_use": fact("grant", "to use, reproduce, modify and redistribute the Apple "
                               "Software, with or without modifications", scope="allowed",
                               url=ASCL_COPY),
        "notice": fact("grant", "you must retain this notice and the following text and "
                       "disclaimers in all such redistributions", copy_of_license=True,
                       text="Keep Apple's notice, text and disclaimers in unmodified "
                       "redistributions.", url=ASCL_COPY),
        "patent": fact("grant", "including but not limited to any patent rights", grant=False,
                       url=ASCL_COPY),
        "trademark": fact("grant", "Neither the name, trademarks, service marks or logos of "
                          "Apple", excluded=True, url=ASCL_COPY)},
    name="Apple Sample Code License", confidence="secondary", read_from=ASCL_COPY,
    read_text=ASCL_TEXT,
    note="The Hub links a PDF that was not read; the quotes are from the 2006 Apple Sample Code "
    "License in the ScanCode LicenseDB (key aml), so every fact is secondary until the linked "
    "version is compared.")

GROK_COPY = "http://gokawiil.com/article/98929"
SPECS["grok2-community"] = Spec(
    None, "https://huggingface.co/xai-org/grok-2/blob/main/LICENSE", "proprietary-model", {
        "output_use": fact("(quoted in press)", "You may not use the Materials, derivatives, "
                           "or outputs (including generated data) to train, create, or improve "
                           "any foundational, large language, or general-purpose AI models, "
                           "except for modifications or fine-tuning of Grok 2",
                           train_other_models="prohibited", confidence="secondary",
                           note=f"Quoted from this license in a ZDNET article, republished at "
                           f"{GROK_COPY}; the license text itself was not read.")},
    name="Grok 2 Community License Agreement", confidence="unverified", read_from=GROK_COPY,
    read_text="You may not use the Materials, derivatives, or outputs (including generated "
    "data) to train, create, or improve any foundational, large language, or general-purpose "
    "AI models, except for modifications or fine-tuning of Grok 2 permitted under and in "
    "accordance with the terms of this Agreement.",
    note="Only the output-use clause was read (as quoted in the press); commercial scope, "
    "attribution and thresholds are unknown until the text is read.")

for _code, _version, _name in (
        ("cc-by", "2.0", "Creative Commons Attribution 2.0 Generic"),
        ("cc-by", "2.5", "Creative Commons Attribution 2.5 Generic"),
        ("cc-by", "3.0", "Creative Commons Attribution 3.0 Unported"),
        ("cc-by", "4.0", "Creative Commons Attribution 4.0 International"),
        ("cc-by-sa", "3.0", "Creative Commons Attribution-ShareAlike 3.0 Unported"),
        ("cc-by-sa", "4.0", "Creative Commons Attribution-ShareAlike 4.0 International"),
        ("cc-by-nc", "2.0", "Creative Commons Attribution-NonCommercial 2.0 Generic"),
        ("cc-by-nc", "3.0", "Creative Commons Attribution-NonCommercial 3.0 Unported"),
        ("cc-by-nd", "4.0", "Creative Commons Attribution-NoDerivatives 4.0 International"),
        ("cc-by-nc-nd", "3.0",
         "Creative Commons Attribution-NonCommercial-NoDerivs 3.0 Unported"),
        ("cc-by-nc-nd", "4.0",
         "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International"),
        ("cc-by-nc-sa", "2.0", ("Creative Commons Attribution-NonCommercial-ShareAlike 2.0 "
         "Generic")),
        ("cc-by-nc-sa", "3.0", ("Creative Commons Attribution-NonCommercial-ShareAlike 3.0 "
         "Unported")),
        ("cc-by-nc-sa", "4.0", ("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 "
         "International"))):
    SPECS[f"{_code}-{_version}"] = _cc(_code, _version, _name)


# --- building and checking --------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-"})


def _words(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return " ".join(re.sub(r"[^\w'\"]+", " ", folded).split())


def _index() -> dict[str, dict[str, Any]]:
    path = (importlib.resources.files("license_expression") / "data"
            / "scancode-licensedb-index.json")
    return {row["license_key"]: row for row in json.loads(path.read_text(encoding="utf-8"))}


def _licensedb(checkout: Path, key: str) -> tuple[dict[str, Any], str]:
    meta = yaml.safe_load((checkout / "docs" / f"{key}.yml").read_text(encoding="utf-8"))
    text = (checkout / "docs" / f"{key}.LICENSE").read_text(encoding="utf-8")
    return meta, text.split("---", 2)[-1]


# Words of a governing-law or venue clause. A text with none of them names no law.
_LAW_WORDS = ("governed by", "governing law", "laws of", "law of", "choice of law",
              "jurisdiction", "courts", "venue", "arbitration")


def _names_no_law(spec: Spec, words: str) -> bool:
    """True when the license's own full text (not a family member's, not an excerpt) has no
    governing-law or venue clause."""
    return (bool(spec.key) and spec.read_text is None and not spec.family_id
            and "governing_law" not in spec.terms and bool(words)
            and not any(phrase in words for phrase in _LAW_WORDS))


def _term(hub_id: str, term: str, values: dict[str, Any], spec: Spec, checkout: Path,
          words: str, problems: list[str]) -> dict[str, Any]:
    """One fact with its source; its quote must be in the text it cites."""
    rest = dict(values)
    quote = rest.pop("quote")
    other_text = rest.pop("check", None)
    source = {"url": rest.pop("url", spec.url), "section": rest.pop("section")}
    if quote:
        source["quote"] = quote
        if spec.read_text is not None or spec.key:
            against = _words(_licensedb(checkout, other_text)[1]) if other_text else words
            if _words(quote) not in against:
                problems.append(f"{hub_id}.{term}: quote not found: {quote!r}")
    confidence = rest.pop("confidence", None) or spec.confidence
    built = {**rest, "source": source}
    if confidence and confidence != "verified":
        built["confidence"] = confidence
    return built


def build(hub_id: str, spec: Spec, checkout: Path, index: dict[str, dict[str, Any]],
          problems: list[str]) -> dict[str, Any]:
    """One registry entry as plain data; a quote not found in its text is a problem."""
    meta: dict[str, Any] = {}
    text = spec.read_text or ""
    if spec.key and spec.read_text is None:
        meta, text = _licensedb(checkout, spec.key)
        if spec.family_id:  # the text is one member's: its names are not the family's
            meta = {}
    row = index.get(spec.key or "", {})
    words = _words(text)
    hub_name, hub_link = HUB[hub_id]
    name = spec.name or meta.get("name") or hub_name
    read = spec.read_from or (LICENSEDB.format(key=spec.key) if spec.key else None)
    entry: dict[str, Any] = {"id": hub_id, "name": name}
    if spec.url:
        entry["url"] = spec.url
    ids_links = [hub_link] if hub_link else []
    entry["family"] = spec.family
    spdx = None if spec.family_id else spec.spdx or row.get("spdx_license_key")
    aliases = sorted({a for a in (hub_name, meta.get("name"), meta.get("short_name"),
                                  *spec.aliases) if a and a.lower() not in (name.lower(),
                                                                            hub_id)})
    ids: dict[str, Any] = {"hf": [hub_id]}
    if spdx:
        ids["spdx"] = spdx
    if spec.key and not spec.family_id:
        ids["scancode"] = spec.key
    if aliases:
        ids["aliases"] = aliases
    if ids_links:
        ids["links"] = ids_links
    entry["ids"] = ids
    if meta.get("osi_license_key"):
        entry["osi_approved"] = True
    for term, values in spec.terms.items():
        entry[term] = _term(hub_id, term, values, spec, checkout, words, problems)
    if _names_no_law(spec, words):
        entry["governing_law"] = {
            "jurisdiction": None, "note": "The license names no governing law.",
            "source": {"url": spec.url, "section": "whole text (no governing-law clause)"}}
    # A family's entry or a partly read license is open: what it does not record is unknown,
    # not absent from the license.
    entry["confidence"] = "unverified" if spec.family_id else spec.confidence
    if spec.note:
        entry["note"] = spec.note
    sources = [{"url": spec.url, "retrieved": RETRIEVED}] if spec.url else []
    if read and read != spec.url:
        sources.append({"url": read, "section": "the copy the quotes were checked against",
                        "retrieved": RETRIEVED})
    sources.append({"url": HUB_DOCS, "section": f"license id list ({hub_id})",
                    "retrieved": RETRIEVED})
    if row:
        sources.append({"url": LICENSEDB.format(key=spec.key).removesuffix(".LICENSE")
                        + ".yml", "section": f"ScanCode key, name and category "
                        f"({row.get('category')})", "retrieved": RETRIEVED})
    entry["sources"] = sources
    return entry


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("licensedb", type=Path, help="a checkout of scancode-licensedb")
    parser.add_argument("hub_docs", type=Path,
                        help="docs/hub/repositories-licenses.md from huggingface/hub-docs")
    parser.add_argument("--write", action="store_true", help="write the missing entries")
    args = parser.parse_args(argv)
    HUB.update(hub_licenses(args.hub_docs.read_text(encoding="utf-8")))
    existing: dict[str, str] = {}
    for path in sorted(CATALOG.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for hf in (data.get("ids") or {}).get("hf", []):
            existing[hf] = data["id"]
    index = _index()
    problems: list[str] = []
    # Entries this table owns are rewritten; a Hub id another entry claims is left alone.
    missing = [h for h in HUB if h not in NOT_LICENSES and existing.get(h, h) == h
               and (h in SPECS or h not in existing)]
    unspecified = [h for h in missing if h not in SPECS]
    if unspecified:
        problems.append(f"no spec for: {', '.join(unspecified)}")
    entries = {h: build(h, SPECS[h], args.licensedb, index, problems)
               for h in missing if h in SPECS}
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    for hub_id, entry in entries.items():
        target = CATALOG / f"{hub_id}.yaml"
        rendered = yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=100)
        if args.write:
            target.write_text(rendered, encoding="utf-8")
    print(f"{len(set(existing) - set(entries))} Hub ids kept as they are, {len(entries)} generated"
          f"{' and written' if args.write else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
