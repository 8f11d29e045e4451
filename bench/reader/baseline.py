#!/usr/bin/python3
"""The reference for bench/reader: each image through the `tesseract` command
line (-l jpn --psm 6, OMP_THREAD_LIMIT=1, no pre-processing) and the text
through recam's own parser (`recam read --text`), so the only difference from
`recam read` is what happens before and inside recognition.

    baseline.py RECAM_BIN OUT_DIR IMAGE... > baseline.jsonl

Adds timing_ms.total (tesseract wall time), timing_ms.cpu (its CPU time:
the time on one core, which wall time is not on a shared machine) and the
tesseract process's peak RSS to every line. BASELINE_REUSE=previous.jsonl re-parses the saved
tesseract output with the current parser, keeping the measured times."""
import concurrent.futures
import json
import os
import resource
import subprocess
import sys
import time


def one(args):
    img, outdir = args
    txt = os.path.join(outdir, os.path.basename(img) + ".txt")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    t0 = time.monotonic()
    p = subprocess.Popen(["tesseract", img, "-", "-l", "jpn", "--psm", "6"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    p.stdout.close()
    # wait4: this process's own CPU time (the bench runs two at once)
    _, _, ru = os.wait4(p.pid, 0)
    ms = int((time.monotonic() - t0) * 1000)
    cpu = int((ru.ru_utime + ru.ru_stime) * 1000)
    with open(txt, "wb") as f:
        f.write(out)
    return img, txt, (ms, cpu)


def main():
    recam, outdir, images = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(outdir, exist_ok=True)
    jobs = int(os.environ.get("BENCH_JOBS", "2"))
    reuse = os.environ.get("BASELINE_REUSE")
    if reuse:
        prev = {}
        peak_kb = 0
        for line in open(reuse, encoding="utf-8"):
            o = json.loads(line)
            prev[os.path.basename(o["file"])] = (o["timing_ms"]["total"], o["timing_ms"].get("cpu", 0))
            peak_kb = max(peak_kb, o.get("worker", {}).get("peak_rss_kb", 0))
        done = [(i, os.path.join(outdir, os.path.basename(i) + ".txt"), prev.get(os.path.basename(i), (0, 0)))
                for i in images]
    else:
        with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
            done = list(ex.map(one, [(i, outdir) for i in images]))
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    txts = [t for _, t, _ in done]
    times = {t: ms for _, t, ms in done}
    out = subprocess.run([recam, "read", "--text"] + txts, stdout=subprocess.PIPE, check=False).stdout
    for line in out.decode().splitlines():
        o = json.loads(line)
        f = o.get("file", "")
        ms, cpu = times.get(f, (0, 0))
        o["timing_ms"] = {"total": ms, "cpu": cpu}
        o["worker"] = {"peak_rss_kb": peak_kb}
        o["file"] = f[:-4] if f.endswith(".txt") else f
        print(json.dumps(o, ensure_ascii=False))


if __name__ == "__main__":
    main()
