#!/usr/bin/env python3
"""Writes N random AIP cases as JSON lines (or CSV) for benchmarks: python3 generer-cas.py N [csv]."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
csv = len(sys.argv) > 2 and sys.argv[2] == "csv"
rng = random.Random(20240101)
out = sys.stdout
declarations = ["previsionnelle", "actualisee", "reelle"]
buf = []
if csv:
    out.write("dispositif,exercice,declaration,etp_declares,etp_notifies,mois_fonctionnement,depenses_fonctionnement,versements_effectues\n")
for i in range(n):
    e = rng.randint(1, 40000) / 10000
    nf = rng.randint(2500, 40000) / 10000
    m = rng.randint(0, 12)
    d = rng.randint(0, 20_000_000) / 100
    v = rng.randint(0, 8_000_000) / 100
    decl = declarations[i % 3]
    ex = 2024 + (i & 1)
    if csv:
        buf.append(f"aip,{ex},{decl},{e},{nf},{m},{d:.2f},{v:.2f}\n")
    else:
        buf.append(
            f'{{"dispositif":"aip","exercice":{ex},"declaration":"{decl}","etp_declares":"{e}",'
            f'"etp_notifies":"{nf}","mois_fonctionnement":{m},"depenses_fonctionnement":"{d:.2f}",'
            f'"versements_effectues":"{v:.2f}"}}\n'
        )
    if len(buf) >= 10000:
        out.write("".join(buf))
        buf.clear()
out.write("".join(buf))
