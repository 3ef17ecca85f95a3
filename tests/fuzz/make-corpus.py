#!/usr/bin/env python3
"""Writes the fuzz_reconcile seed corpus from a real run's configuration
directory (the first records of each journal) and the regression inputs of
crafted records that once made the reconciler allocate without bound.
Usage: tests/fuzz/make-corpus.py CONFIGURATION_DIR"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = 32
SIZES = {"producer": 56, "audit": 48, "consumer": 48, "events": 136}


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def head(path, kind, records):
    with open(path, "rb") as f:
        return f.read(HEADER + SIZES[kind] * records)


def fuzz_input(producer, audit, consumer, events):
    out = b""
    for part in (producer, audit, consumer):
        out += struct.pack("<H", len(part)) + part
    return out + events


def header(kind, run_id, writer):
    kinds = {"producer": 1, "consumer": 2, "audit": 3, "events": 4}
    return b"KCJL" + struct.pack("<IIIQII", 1, kinds[kind], SIZES[kind], run_id, writer, 0)


def sealed(body):
    return body + struct.pack("<I", crc32c(body))


def producer_record(seq, outcome, count, partition=-1, offset=-1):
    body = struct.pack("<QIB3xiIqqiI", seq, 1, outcome, partition, count, offset, 1, 0, 0)
    return sealed(body) + b"\0" * 4


def audit_record(seq, event, partition, offset, high=0, flags=0):
    body = struct.pack("<QIBBHiIqq", seq, 1, event, flags, 0, partition, 0, offset, high)
    return sealed(body) + b"\0" * 4


def main():
    src = sys.argv[1]
    corpus = os.path.join(HERE, "corpus", "reconcile")
    os.makedirs(corpus, exist_ok=True)
    for n in (8, 40):
        parts = [head(os.path.join(src, f), k, n) for f, k in
                 (("producer-1.journal", "producer"), ("audit.journal", "audit"),
                  ("consumer-1.journal", "consumer"), ("events.journal", "events"))]
        with open(os.path.join(corpus, f"real-{n}"), "wb") as f:
            f.write(fuzz_input(*parts))
    regressions = os.path.join(HERE, "regressions", "reconcile")
    os.makedirs(regressions, exist_ok=True)
    run = 7
    huge_count = header("producer", run, 1) + producer_record(0, 1, 100_000_000)
    with open(os.path.join(regressions, "created-count-1e8"), "wb") as f:
        f.write(fuzz_input(huge_count, b"", b"", b""))
    far = header("audit", run, 0) + audit_record(0, 1, 0, 1 << 36)
    small = header("producer", run, 1) + producer_record(0, 1, 1)
    with open(os.path.join(regressions, "audit-offset-2e36"), "wb") as f:
        f.write(fuzz_input(small, far, b"", b""))


if __name__ == "__main__":
    main()
