"""Synthesise realistic content of any size, seeded and reproducible.

    python bench/synth.py OUT --purposes 20 --recipients 15 --cookies 10 --versions 100 --seed 1

Writes OUT/content/ (notice.yaml, and the release log with VERSIONS releases made by the real
`release` code, each changing a few facts the way real notices change) and OUT/mkdocs.yml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.releases import make_release  # noqa: E402

VENDORS = ["Microsoft Ireland Operations Ltd", "Google Cloud EMEA Ltd", "Amazon Web Services EMEA SARL", "LastPass Ireland Ltd",
           "Visma Software AS", "Tripletex AS", "Intuit Mailchimp", "HubSpot Ireland Ltd", "Zendesk Inc.", "Slack Technologies Ltd"]
COUNTRIES = [["NO"], ["IE"], ["SE"], ["IE", "US"], ["DE"], ["US"], ["FI"], ["NL", "US"]]
WORDS_NB = "kunder kontakt faktura avtale levering støtte opplæring analyse sikkerhet drift".split()
WORDS_EN = "customers contact invoice contract delivery support training analysis security operations".split()


def notice(rng: random.Random, purposes: int, recipients: int, cookies: int) -> dict:
    cats = [{"id": f"cat_{i}", "name": {"nb": f"opplysninger {i}", "en": f"data {i}"}, "examples": {"nb": "navn, e-post", "en": "name, e-mail"}} for i in range(max(3, purposes // 2))]
    recs = []
    for i in range(recipients):
        locations = rng.choice(COUNTRIES)
        r = {"id": f"rec_{i}", "name": f"{rng.choice(VENDORS)} ({i})", "kind": rng.choice(["processor", "processor", "third_party"]),
             "service": {"nb": f"{rng.choice(WORDS_NB)} og {rng.choice(WORDS_NB)}", "en": f"{rng.choice(WORDS_EN)} and {rng.choice(WORDS_EN)}"}, "locations": locations}
        if any(c not in ("NO", "IE", "SE", "DE", "FI", "NL") for c in locations):
            r["transfer"] = {"safeguard": rng.choice(["adequacy", "scc"])}
        recs.append(r)
    rets = [{"id": f"ret_{i}", "period": f"P{i + 1}Y", "from": rng.choice(["last_contact", "end_of_customer_relationship", "collection"])} for i in range(5)]
    purps = []
    for i in range(purposes):
        basis = rng.choice(["contract", "legal_obligation", "consent", "legitimate_interests"])
        p = {"id": f"purpose_{i}", "name": {"nb": f"Formål {i}", "en": f"Purpose {i}"},
             "description": {"nb": " ".join(rng.choices(WORDS_NB, k=20)) + ".", "en": " ".join(rng.choices(WORDS_EN, k=20)) + "."},
             "legal_basis": basis, "data_subjects": ["customers"], "categories": rng.sample([c["id"] for c in cats], 2),
             "recipients": rng.sample([r["id"] for r in recs], min(3, len(recs))), "retention": rng.choice(rets)["id"],
             "requirement": {"kind": "voluntary" if basis == "consent" else "statutory" if basis == "legal_obligation" else "contractual",
                             "consequence": {"nb": "Da kan vi ikke levere.", "en": "Then we cannot deliver."}}}
        if basis == "legitimate_interests":
            p["legitimate_interest"] = {"nb": "å drive virksomheten", "en": "running the business"}
        purps.append(p)
    cooks = [{"name": f"cookie_{i}", "provider": rng.choice(VENDORS), "party": rng.choice(["first", "third"]), "purpose": {"nb": "statistikk", "en": "statistics"},
              "category": rng.choice(["necessary", "statistics", "marketing"]), "duration": rng.choice(["session", "P1Y", "P30D"])} for i in range(cookies)]
    return {
        "languages": {"available": ["nb", "en"], "default": "nb"},
        "organisation": {"name": "Benchmark AS", "org_number": "923 609 016", "address": {"street": "Gate 1", "postal_code": "0150", "city": "Oslo"},
                         "email": "post@bench.example", "contact": {"name": "Kari", "role": {"nb": "daglig leder", "en": "CEO"}}, "roles": {"controller": True}},
        "data_subjects": [{"id": "customers", "name": {"nb": "kunder", "en": "customers"}}],
        "data_categories": cats,
        "sources": [{"id": "you", "kind": "data_subject", "name": {"nb": "deg", "en": "you"}, "categories": [c["id"] for c in cats]}],
        "purposes": purps, "recipients": recs, "retention": rets, "cookies": cooks, "automated_decisions": [],
        "rights": {"contact": {"email": "personvern@bench.example"}},
    }


def write(folder: Path, data: dict) -> None:
    with (folder / "notice.yaml").open("w", encoding="utf-8") as f:
        f.write("# yaml-language-server: $schema=../schema/notice.schema.json\n")
        YAML().dump(json.loads(json.dumps(data)), f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--purposes", type=int, default=20)
    parser.add_argument("--recipients", type=int, default=15)
    parser.add_argument("--cookies", type=int, default=10)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steady", action="store_true", help="releases change facts but add none, so the notice keeps its size")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    content = args.out / "content"
    (content / "pages").mkdir(parents=True, exist_ok=True)
    data = notice(rng, args.purposes, args.recipients, args.cookies)
    day = dt.date(2000, 1, 1)
    for version in range(1, args.versions + 1):
        if version > 1:  # one realistic change per release: a retention period, a service text or a new cookie
            kind = rng.choice(["retention", "service"] if args.steady else ["retention", "service", "cookie"])
            if kind == "retention":
                rule = rng.choice(data["retention"])
                rule["period"] = f"P{rng.randint(1, 10)}Y{version}D"
            elif kind == "service":
                r = rng.choice(data["recipients"])
                nb, en = (r["service"][lang].split(" (")[0] if args.steady else r["service"][lang] for lang in ("nb", "en"))
                r["service"] = {"nb": f"{nb} ({version})", "en": f"{en} ({version})"}
            else:
                data["cookies"].append({"name": f"added_{version}", "provider": "Benchmark AS", "party": "first", "purpose": {"nb": "innlogging", "en": "sign-in"},
                                        "category": "necessary", "duration": "session"})
        write(content, data)
        make_release(content, effective=day + dt.timedelta(days=40), announced=day, short_notice=("benchmark", "bench"))
        day += dt.timedelta(days=41)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    (args.out / "mkdocs.yml").write_text(config, encoding="utf-8")
    print(f"{args.out}: {args.purposes} purposes, {args.recipients} recipients, {len(data['cookies'])} cookies, {args.versions} versions")


if __name__ == "__main__":
    main()
