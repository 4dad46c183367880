#!/usr/bin/python3
"""hvbcsv.py - an independent checker of hvb1 result CSVs for the tests.

Parses with Python's csv module (not our writer's code) and checks the
contract of docs/csv-format.md.  Usage:
  hvbcsv.py check FILE            exit 0 when valid, else print why
  hvbcsv.py get FILE COL [K=V...] print COL of rows matching all K=V
  hvbcsv.py count FILE [K=V...]   number of matching rows
"""
import csv, math, sys

HEADER = ("schema,run,time,env,virt,container,host,bench,params,metric,unit,"
          "better,rep,value,status,note").split(",")
VIRTS = {"none", "kvm", "qemu-tcg", "vmware", "virtualbox", "hyperv", "xen",
         "parallels", "bhyve", "other"}
CONTAINERS = {"none", "docker", "podman", "lxc", "systemd-nspawn", "wsl", "other"}


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        for line, row in enumerate(r, start=2):
            yield head, line, row


def check(path):
    errs = []
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f, strict=True)
        try:
            head = next(r)
        except StopIteration:
            return ["empty file"]
        if head != HEADER:
            return ["header %r" % head]
        n = 0
        for row in r:
            n += 1
            where = "line %d" % r.line_num
            if len(row) != len(HEADER):
                errs.append("%s: %d fields" % (where, len(row)))
                continue
            d = dict(zip(HEADER, row))
            if d["schema"] != "hvb1":
                errs.append("%s: schema %r" % (where, d["schema"]))
            if d["virt"] not in VIRTS:
                errs.append("%s: virt %r" % (where, d["virt"]))
            if d["container"] not in CONTAINERS:
                errs.append("%s: container %r" % (where, d["container"]))
            if d["status"] not in ("ok", "skip", "fail", "info"):
                errs.append("%s: status %r" % (where, d["status"]))
            if d["status"] == "ok":
                try:
                    v = float(d["value"])
                    if not math.isfinite(v):
                        raise ValueError
                except ValueError:
                    errs.append("%s: ok value %r" % (where, d["value"]))
                if d["better"] not in ("higher", "lower"):
                    errs.append("%s: better %r" % (where, d["better"]))
                if not d["rep"].isdigit() or int(d["rep"]) < 1:
                    errs.append("%s: rep %r" % (where, d["rep"]))
            if d["status"] in ("fail", "skip") and (d["value"] or not d["note"]):
                errs.append("%s: %s row needs empty value and a note" % (where, d["status"]))
            if d["value"].lower() in ("nan", "inf", "-inf"):
                errs.append("%s: value %r" % (where, d["value"]))
            if not d["metric"] or not d["bench"] or not d["run"]:
                errs.append("%s: empty bench/metric/run" % where)
        if n == 0:
            errs.append("no data rows")
    return errs


def match(head, row, conds):
    d = dict(zip(head, row))
    return all(d.get(k) == v for k, v in conds), d


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd, path = argv[1], argv[2]
    if cmd == "check":
        errs = check(path)
        for e in errs[:20]:
            print("%s: %s" % (path, e))
        return 1 if errs else 0
    if cmd in ("get", "count"):
        col = argv[3] if cmd == "get" else None
        conds = [a.split("=", 1) for a in argv[4 if cmd == "get" else 3:]]
        n = 0
        for head, line, row in rows(path):
            ok, d = match(head, row, conds)
            if ok:
                n += 1
                if col:
                    print(d[col].replace("\n", "\\n"))
        if cmd == "count":
            print(n)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
