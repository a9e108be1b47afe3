#!/usr/bin/env python3
"""Recomputes the tables of `vlift report` that the paper uses from results.csv and compares
them with the Markdown files: success.md (counts per tool), published.md (ours beside the
published figures), ablation.md and baselines.md (each configuration against vlift/full).
Exit 0 when every number agrees, 1 with the first disagreement otherwise.

  scripts/check-paper-tables.py RESULTS.csv TABLES_DIR
"""
import csv
import statistics
import sys
from collections import Counter, defaultdict

ORDER = ["VERIFIED", "LIFTED", "REFUTED", "WRONG", "UNSUPPORTED", "TIMEOUT", "OUT_OF_MEMORY", "CRASH", "ERROR", "NOT_RUN"]
PUBLISHED = {("vlift", "full"): "28/33", ("vlift", "tenspiler-style"): "13/33"}


def rank(s):
    return 2 if s == "VERIFIED" else 1 if s == "LIFTED" else 0


def group_status(rows):
    """Most frequent status; a tie goes to the worse one (lower rank, then later in ORDER)."""
    c = Counter(r["status"] for r in rows)
    return max(c, key=lambda s: (c[s], -rank(s), ORDER.index(s)))


def md_rows(path):
    """The table's rows as lists of cells (header first)."""
    rows = []
    for line in open(path, encoding="utf-8").read().splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip().replace("\\|", "|") for c in line.strip().strip("|").split("|")])
    return rows


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
    tables = sys.argv[2]
    groups = defaultdict(list)
    meta = {}
    for r in rows:
        label = r["tool"] + "/" + r["config"]
        groups[((r["suite"], r["op"]), label)].append(r)
        meta[label] = (r["tool"], r["config"])
    status = {k: group_status(v) for k, v in groups.items()}
    median = {k: statistics.median(float(r["t_total"] or 0) for r in v) for k, v in groups.items()}
    labels = sorted(meta)
    ops = sorted({k[0] for k in groups})
    problems = []

    def counts(label):
        v = sum(1 for o in ops if status.get((o, label)) == "VERIFIED")
        l = sum(1 for o in ops if status.get((o, label)) == "LIFTED")
        n = sum(1 for o in ops if (o, label) in status)
        return v, l, n - v - l

    # success.md: the "all" row of every tool
    success = {(r[0], r[1]): r for r in md_rows(f"{tables}/success.md")[1:]}
    for label in labels:
        v, l, o = counts(label)
        got = success.get((label, "all"))
        want = [label, "all", str(v), str(l), str(o), str(v + l + o)]
        if not got or got[:6] != want:
            problems.append(f"success.md: {label}: table {got}, results.csv {want}")

    # published.md
    published = {r[0]: r for r in md_rows(f"{tables}/published.md")[1:]}
    for label in labels:
        v, l, o = counts(label)
        want = [PUBLISHED.get(meta[label], "-"), f"{v}/{v + l + o}", str(l), str(o)]
        got = published.get(label)
        if not got or got[2:6] != want:
            problems.append(f"published.md: {label}: table {got}, results.csv {want}")

    # ablation.md and baselines.md
    full = next((lb for lb in labels if meta[lb] == ("vlift", "full")), None)
    solved = ("VERIFIED", "LIFTED")
    for name, pick in (("ablation", lambda t, c: t == "vlift" and c.startswith("no-")),
                       ("baselines", lambda t, c: not (t == "vlift" and (c == "full" or c.startswith("no-"))))):
        chosen = [lb for lb in labels if pick(*meta[lb])]
        if not chosen:
            continue
        table = {r[0]: r for r in md_rows(f"{tables}/{name}.md")[1:]}
        for label in chosen:
            v, l, o = counts(label)
            lost = gained = solved_lost = common = 0
            added = 0.0
            names = []
            for op in ops:
                if (op, label) not in status or full is None or (op, full) not in status:
                    continue
                f, g = status[(op, full)], status[(op, label)]
                if f == "VERIFIED" and g != "VERIFIED":
                    lost += 1
                    names.append(op[1])
                gained += f != "VERIFIED" and g == "VERIFIED"
                solved_lost += f in solved and g not in solved
                if f in solved and g in solved:
                    common += 1
                    added += median[(op, label)] - median[(op, full)]
            got = table.get(label)
            want = [str(v), str(l), str(o), str(lost), str(gained), str(solved_lost)]
            if not got or got[1:7] != want:
                problems.append(f"{name}.md: {label}: table {got}, results.csv {want}")
                continue
            if common and abs(float(got[7]) - added) > 0.006 + 0.001 * abs(added) * len(ops):
                problems.append(f"{name}.md: {label}: time added {got[7]}, results.csv {added:+.2f}")
            if (got[8] if got[8] != "-" else "") != ", ".join(names):
                problems.append(f"{name}.md: {label}: operators lost '{got[8]}', results.csv '{', '.join(names)}'")
    for p in problems:
        print("check-paper-tables: " + p, file=sys.stderr)
    if not problems:
        print(f"check-paper-tables: success, published, ablation and baselines agree with {sys.argv[1]} "
              f"({len(rows)} rows, {len(labels)} tools)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
